import { createHash } from 'node:crypto';
import { updateLocker } from './locker.repository.ts';
import { beforeEach, expect, it } from 'vitest';
import { auth, type World } from '../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { allLockersFilter, lockerTopic } from '../../contract/topics.ts';
import { iso } from '../../platform/clock.ts';
import { type MqttLog, startEmbeddedBroker } from '../../platform/mqtt/broker.ts';
import { connectMqtt, serviceCredentials } from '../../platform/mqtt/client.ts';
import type { LockerTable } from './locker.table.ts';
import {
  DEVICE_AUTH_CACHE_MS,
  MqttLogins,
  mqttAuthenticator,
  verifyDeviceSecret,
} from './device-auth.service.ts';
import { CredentialRelay } from './credentials.runtime.ts';
import {
  demoLockerSecret,
  issueProvisioningToken,
  provisionLocker,
  setDeviceSecret,
} from './provisioning.service.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const quiet: MqttLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Insert a locker row directly (the test owns its fixture, not the locker routes). */
async function insertLocker(
  t: TestApp,
  w: World,
  id: string,
  status: LockerTable['status'] = 'provisioning',
  site: 'A' | 'B' = 'A',
): Promise<void> {
  const at = iso(t.clock.now());
  await t.database.db
    .insertInto('lockers')
    .values({
      id,
      community_id: w.community1,
      site_id: site === 'A' ? w.siteA : w.siteB,
      name: `${id} 门口柜`,
      status,
      secret_hash: null,
      provisioning_hash: null,
      provisioning_expires_at: null,
      credentials_changed_at: null,
      presence: 'unknown',
      presence_changed_at: null,
      connection_id: null,
      last_seen_at: null,
      reported_revision: 0,
      last_seq: 0,
      agent_version: null,
      sync_revision: 0,
      contract_version: 'v1',
      open_alerts: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

describeEachDialect('locker provisioning', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });
  beforeEach(async () => {
    await insertLocker(t, w, 'lk-a01');
  });

  const issue = (lockerId: string, who: Parameters<typeof auth>[1] = 'communityWorker1') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/lockers/${lockerId}/provisioning-token`,
      headers: auth(w, who),
    });
  const provision = (lockerId: string, token: string, ip = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/provision',
      payload: { lockerId, token },
      remoteAddress: ip,
    });
  const lockerRow = (id: string) =>
    t.database.db.selectFrom('lockers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('the answer carries the broker address when the operator configured MQTT_PUBLIC_URL', async () => {
    const { token } = await issueProvisioningToken(t.deps, w.users.communityWorker1.id, 'lk-a01');
    const deps = {
      ...t.deps,
      config: { ...t.deps.config, mqttPublicUrl: 'mqtts://mqtt.example.cn:8883' },
    };
    const answer = await provisionLocker(deps, new CredentialRelay(), {
      lockerId: 'lk-a01',
      token,
      ip: '127.0.0.9',
    });
    expect(answer).toMatchObject({ lockerId: 'lk-a01', brokerUrl: 'mqtts://mqtt.example.cn:8883' });
  });

  it('an admin issues a one-time token; the locker exchanges it once for MQTT credentials', async () => {
    const issued = await issue('lk-a01');
    expect(issued.statusCode).toBe(201);
    const { token, expiresAt } = issued.json();
    expect(token).toMatch(/^lk-a01\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(iso(t.clock.now() + 7 * 24 * 3600 * 1000));
    const stored = await lockerRow('lk-a01');
    expect(stored.provisioning_hash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const r = await provision('lk-a01', token);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(body).toMatchObject({
      lockerId: 'lk-a01',
      mqttUsername: 'lk-a01',
      topics: {
        cmd: lockerTopic('lk-a01', 'cmd'),
        res: lockerTopic('lk-a01', 'res'),
        evt: lockerTopic('lk-a01', 'evt'),
        state: lockerTopic('lk-a01', 'state'),
        status: lockerTopic('lk-a01', 'status'),
      },
    });
    expect(body.mqttPassword).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).not.toHaveProperty('brokerUrl'); // MQTT_PUBLIC_URL is not set in tests
    const after = await lockerRow('lk-a01');
    expect(after).toMatchObject({
      status: 'active',
      secret_hash: sha256(body.mqttPassword),
      provisioning_hash: null,
      provisioning_expires_at: null,
    });
    expect(await verifyDeviceSecret(t.database.db, 'lk-a01', body.mqttPassword)).toBe(true);
    expect(await verifyDeviceSecret(t.database.db, 'lk-a01', 'not-the-secret')).toBe(false);

    const again = await provision('lk-a01', token);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.message).toMatch(/already used/);

    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', 'lk-a01')
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'locker.provision',
      'locker.provisioning_token.issue',
    ]);
    expect(audit.every((a) => a.community_id === w.community1)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(body.mqttPassword);
  });

  it('a new token replaces the earlier one; re-provisioning rotates the secret', async () => {
    const first = (await issue('lk-a01')).json().token;
    const second = (await issue('lk-a01')).json().token;
    expect((await provision('lk-a01', first)).statusCode).toBe(401);
    const one = (await provision('lk-a01', second)).json().mqttPassword;

    const third = (await issue('lk-a01')).json().token;
    expect(await verifyDeviceSecret(t.database.db, 'lk-a01', one)).toBe(true); // until the new token is used
    const two = (await provision('lk-a01', third)).json().mqttPassword;
    expect(two).not.toBe(one);
    expect(await verifyDeviceSecret(t.database.db, 'lk-a01', one)).toBe(false);
    expect(await verifyDeviceSecret(t.database.db, 'lk-a01', two)).toBe(true);
  });

  it('refuses an expired token, and a token for another or an unknown locker, without revealing which lockers exist', async () => {
    const token = (await issue('lk-a01')).json().token;
    await insertLocker(t, w, 'lk-b01', 'provisioning', 'B');
    const wrongLocker = await provision('lk-b01', token);
    const unknownLocker = await provision('lk-zz9', token);
    const forged = await provision(
      'lk-a01',
      token.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A')),
    );
    for (const r of [wrongLocker, unknownLocker, forged]) {
      expect(r.statusCode).toBe(401);
      expect(r.json().error.message).toBe(wrongLocker.json().error.message);
    }
    const garbage = await provision(
      'lk-zz9',
      'lk-zz9.4102444800.bm9uY2Vub25jZW5vbmNl.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    );
    expect(garbage.statusCode).toBe(401);
    expect(garbage.json().error.message).toBe(wrongLocker.json().error.message);

    t.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    const expired = await provision('lk-a01', token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/expired at .* new token/);
    expect((await lockerRow('lk-a01')).secret_hash).toBeNull();
  });

  it('only admins covering the locker may issue tokens (others get 401/403/404)', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/lockers/lk-a01/provisioning-token' }))
        .statusCode,
    ).toBe(401);
    expect((await issue('lk-a01', 'residentA')).statusCode).toBe(403);
    expect((await issue('lk-a01', 'hallStaff1')).statusCode).toBe(403);
    expect((await issue('lk-a01', 'communityWorker2')).statusCode).toBe(404);
    expect((await issue('lk-zz9', 'admin')).statusCode).toBe(404);
    expect((await issue('lk-a01', 'officer')).statusCode).toBe(201);
    expect((await issue('lk-a01', 'admin')).statusCode).toBe(201);
    expect((await issue('NOT_A_LOCKER', 'admin')).statusCode).toBe(400);
  });

  it('a retired locker gets no token and its secret stops working', async () => {
    const token = (await issue('lk-a01')).json().token;
    const secret = (await provision('lk-a01', token)).json().mqttPassword;
    const next = (await issue('lk-a01')).json().token;
    await updateLocker(t.database.db, 'lk-a01', { status: 'retired' });
    expect(await verifyDeviceSecret(t.database.db, 'lk-a01', secret)).toBe(false);
    expect((await issue('lk-a01')).statusCode).toBe(409);
    expect((await provision('lk-a01', next)).statusCode).toBe(401);
  });

  it('limits redemption attempts per locker and per network', async () => {
    for (let i = 0; i < 10; i++)
      expect(
        (await provision('lk-a01', `lk-a01.1.nonce-nonce-${i}.mac-mac-mac`, `10.0.0.${i}`))
          .statusCode,
      ).toBe(401);
    const limited = await provision('lk-a01', 'lk-a01.1.nonce-nonce.mac-mac-mac', '10.0.1.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // Even the right token waits out the window: a guesser cannot race the installer.
    const token = (await issue('lk-a01')).json().token;
    expect((await provision('lk-a01', token)).statusCode).toBe(429);
    t.clock.advance(15 * 60 * 1000);
    expect((await provision('lk-a01', token)).statusCode).toBe(200);

    for (let i = 0; i < 120; i++)
      await provision(
        `lk-x${String(i).padStart(3, '0')}`,
        'lk-x.1.nonce-nonce.mac-mac-mac',
        '10.9.9.9',
      );
    const network = await provision('lk-y001', 'lk-y001.1.nonce-nonce.mac-mac', '10.9.9.9');
    expect(network.statusCode).toBe(429);
    expect(network.json().error.message).toMatch(/from this network/);
  });

  it('the demo seeder sets derived secrets; the broker authenticator accepts them and the service account', async () => {
    const secret = demoLockerSecret(t.deps.config.secrets.tokenKey, 'lk-a01');
    expect(secret).toBe(demoLockerSecret(t.deps.config.secrets.tokenKey, 'lk-a01'));
    expect(secret).not.toBe(demoLockerSecret(t.deps.config.secrets.tokenKey, 'lk-a02'));
    await setDeviceSecret(t.database.db, 'lk-a01', secret);
    const authenticate = mqttAuthenticator(t.database.db, t.deps.config.secrets.tokenKey);
    const svc = serviceCredentials(t.deps.config.secrets.tokenKey);
    expect(await authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toMatchObject({
      role: 'device',
    });
    expect(await authenticate('lk-a01', Buffer.from('wrong'), 'lk-a01')).toBeNull();
    expect(await authenticate('lk-zz9', Buffer.from(secret), 'lk-zz9')).toBeNull();
    expect(await authenticate(svc.username, Buffer.from(svc.password), 'antnest-cloud-1')).toEqual({
      role: 'service',
    });
    expect(await authenticate(svc.username, Buffer.from('wrong'), 'antnest-cloud-1')).toBeNull();
    expect(await authenticate('someone', Buffer.from(secret), 'someone')).toBeNull();
  });

  it('remembers a verified device briefly, and forgets it as soon as its credentials change', async () => {
    const secret = demoLockerSecret(t.deps.config.secrets.tokenKey, 'lk-a01');
    await setDeviceSecret(t.database.db, 'lk-a01', secret);
    let now = 1_000_000;
    const logins = new MqttLogins(t.database.db, t.deps.config.secrets.tokenKey, {
      cacheMs: DEVICE_AUTH_CACHE_MS,
      now: () => now,
    });
    expect(await logins.authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toEqual({
      role: 'device',
      credential: sha256(secret),
    });
    await updateLocker(t.database.db, 'lk-a01', { status: 'retired' });
    // Changed behind its back (no CredentialWatch told it), the cache still answers, until it expires…
    expect(await logins.authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toMatchObject({
      role: 'device',
    });
    expect(await logins.authenticate('lk-a01', Buffer.from('wrong'), 'lk-a01')).toBeNull();
    now += DEVICE_AUTH_CACHE_MS + 1;
    expect(await logins.authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toBeNull();
    // …and once told, at once; a login made with the still-valid secret stays remembered.
    await updateLocker(t.database.db, 'lk-a01', { status: 'active' });
    expect(await logins.authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toMatchObject({
      role: 'device',
    });
    logins.invalidate('lk-a01', sha256(secret));
    await updateLocker(t.database.db, 'lk-a01', { status: 'retired' });
    expect(await logins.authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toMatchObject({
      role: 'device',
    });
    logins.invalidate('lk-a01', null);
    expect(await logins.authenticate('lk-a01', Buffer.from(secret), 'lk-a01')).toBeNull();
  });

  it('a provisioned locker connects to the embedded broker with its credentials and reaches the cloud', async () => {
    const creds = (await provision('lk-a01', (await issue('lk-a01')).json().token)).json();
    const broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log: quiet,
      authenticate: mqttAuthenticator(t.database.db, t.deps.config.secrets.tokenKey),
    });
    try {
      const cloud = await connectMqtt({
        url: broker.url,
        ...serviceCredentials(t.deps.config.secrets.tokenKey),
        clientId: 'antnest-cloud-test',
        log: quiet,
      });
      const got: string[] = [];
      cloud.on('message', (topic) => got.push(topic));
      await cloud.subscribeAsync(allLockersFilter('evt'), { qos: 1 });
      const device = await connectMqtt({
        url: broker.url,
        username: creds.mqttUsername,
        password: creds.mqttPassword,
        clientId: creds.mqttUsername,
        log: quiet,
      });
      await device.publishAsync(creds.topics.evt, '{}', { qos: 1 });
      await expect.poll(() => got).toContain(creds.topics.evt);
      await expect(
        connectMqtt({
          url: broker.url,
          username: creds.mqttUsername,
          password: 'old-or-wrong',
          clientId: creds.mqttUsername,
          log: quiet,
        }),
      ).rejects.toThrow(/refused/);
      device.end(true);
      cloud.end(true);
    } finally {
      await broker.close();
    }
  });
});
