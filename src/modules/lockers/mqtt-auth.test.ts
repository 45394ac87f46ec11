import { beforeEach, expect, it } from 'vitest';
import { updateLocker } from './locker.repository.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { lockerTopic } from '../../contract/topics.ts';
import { iso } from '../../platform/clock.ts';
import { serviceCredentials } from '../../platform/mqtt/client.ts';
import { mqttHookSecret } from './mqtt-auth.routes.ts';
import { setDeviceSecret } from './provisioning.service.ts';

describeEachDialect('EMQX HTTP auth hooks', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });
  let hook: { authorization: string };
  beforeEach(async () => {
    const at = iso(t.clock.now());
    for (const id of ['lk-a01', 'lk-a02']) {
      await t.database.db
        .insertInto('lockers')
        .values({
          id,
          community_id: w.community1,
          site_id: w.siteA,
          name: id,
          status: 'active',
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
      await setDeviceSecret(t.database.db, id, `secret-of-${id}`);
    }
    hook = { authorization: `Bearer ${mqttHookSecret(t.deps.config.secrets.tokenKey)}` };
  });

  const authHook = (body: object, headers: Record<string, string> = hook) =>
    t.app.inject({ method: 'POST', url: '/api/v1/mqtt/auth', headers, payload: body });
  const aclHook = (body: object, headers: Record<string, string> = hook) =>
    t.app.inject({ method: 'POST', url: '/api/v1/mqtt/acl', headers, payload: body });
  const verdict = async (r: Promise<{ statusCode: number; json(): { result: string } }>) => {
    const res = await r;
    expect(res.statusCode).toBe(200);
    return res.json().result;
  };

  it('answers only the broker: no or a wrong bearer secret is a 401', async () => {
    const body = { username: 'lk-a01', password: 'secret-of-lk-a01', clientid: 'lk-a01' };
    expect((await authHook(body, {})).statusCode).toBe(401);
    expect(
      (await authHook(body, { authorization: `Bearer ${mqttHookSecret(Buffer.alloc(32, 1))}` }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await aclHook(
          { username: 'antnest-cloud', topic: 'antnest/x', action: 'publish', clientid: 'c' },
          { authorization: 'Bearer x' },
        )
      ).statusCode,
    ).toBe(401);
    expect((await aclHook({ not: 'even the right shape' }, {})).statusCode).toBe(401);
    const ok = await authHook(body);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(ok.json()).toEqual({ result: 'allow' });
  });

  it('authenticates devices by their secret and client id, and the service account', async () => {
    expect(
      await verdict(
        authHook({ username: 'lk-a01', password: 'secret-of-lk-a01', clientid: 'lk-a01' }),
      ),
    ).toBe('allow');
    expect(
      await verdict(
        authHook({ username: 'lk-a01', password: 'secret-of-lk-a02', clientid: 'lk-a01' }),
      ),
    ).toBe('deny');
    expect(
      await verdict(
        authHook({ username: 'lk-a01', password: 'secret-of-lk-a01', clientid: 'lk-a02' }),
      ),
    ).toBe('deny');
    expect(
      await verdict(
        authHook({ username: 'lk-zz9', password: 'secret-of-lk-a01', clientid: 'lk-zz9' }),
      ),
    ).toBe('deny');
    expect(await verdict(authHook({ username: '', password: '', clientid: 'anon' }))).toBe('deny');
    const svc = serviceCredentials(t.deps.config.secrets.tokenKey);
    expect(
      await verdict(
        authHook({
          username: svc.username,
          password: svc.password,
          clientid: 'antnest-cloud-node-2',
        }),
      ),
    ).toBe('allow');
    expect(
      await verdict(
        authHook({ username: svc.username, password: svc.password, clientid: 'lk-a01' }),
      ),
    ).toBe('deny');
    expect(
      await verdict(
        authHook({ username: svc.username, password: 'nope', clientid: 'antnest-cloud-node-2' }),
      ),
    ).toBe('deny');
    // Extra placeholders an operator adds to the request template are ignored.
    expect(
      await verdict(
        authHook({
          username: 'lk-a01',
          password: 'secret-of-lk-a01',
          clientid: 'lk-a01',
          peerhost: '10.0.0.9',
        }),
      ),
    ).toBe('allow');

    await updateLocker(t.database.db, 'lk-a01', { status: 'retired' });
    expect(
      await verdict(
        authHook({ username: 'lk-a01', password: 'secret-of-lk-a01', clientid: 'lk-a01' }),
      ),
    ).toBe('deny');
  });

  it('authorizes a device for its own topics only', async () => {
    const dev = (action: string, topic: string) =>
      verdict(aclHook({ username: 'lk-a01', clientid: 'lk-a01', action, topic }));
    expect(await dev('publish', lockerTopic('lk-a01', 'evt'))).toBe('allow');
    expect(await dev('publish', lockerTopic('lk-a01', 'status'))).toBe('allow');
    expect(await dev('publish', lockerTopic('lk-a01', 'cmd'))).toBe('deny');
    expect(await dev('publish', lockerTopic('lk-a02', 'evt'))).toBe('deny');
    expect(await dev('subscribe', lockerTopic('lk-a01', 'cmd'))).toBe('allow');
    expect(await dev('subscribe', lockerTopic('lk-a02', 'cmd'))).toBe('deny');
    expect(await dev('subscribe', 'antnest/v1/lockers/+/cmd')).toBe('deny');
    expect(await dev('all', lockerTopic('lk-a01', 'evt'))).toBe('deny');
  });

  it('authorizes the service account under antnest/ (shared subscriptions included) and nobody else', async () => {
    const svc = (action: string, topic: string, username = 'antnest-cloud') =>
      verdict(aclHook({ username, clientid: 'antnest-cloud-1', action, topic }));
    expect(await svc('publish', lockerTopic('lk-a01', 'cmd'))).toBe('allow');
    expect(await svc('subscribe', '$share/antnest/antnest/v1/lockers/+/evt')).toBe('allow');
    expect(await svc('subscribe', 'antnest/v1/lockers/+/state')).toBe('allow');
    expect(await svc('subscribe', '#')).toBe('deny');
    expect(await svc('publish', '$SYS/brokers')).toBe('deny');
    expect(await svc('publish', 'antnest/v1/x', 'someone-else')).toBe('deny');
  });

  it('is never rate limited (the broker calls it on every connect)', async () => {
    for (let i = 0; i < 60; i++) {
      expect(
        await verdict(authHook({ username: 'lk-a01', password: 'wrong', clientid: 'lk-a01' })),
      ).toBe('deny');
    }
    expect(
      await verdict(
        authHook({ username: 'lk-a01', password: 'secret-of-lk-a01', clientid: 'lk-a01' }),
      ),
    ).toBe('allow');
  });
});
