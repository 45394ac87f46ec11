/**
 * Issue 13, finding 8: a rotated or retired locker secret stops at once — new logins are
 * refused and the session it opened is dropped — on the node that made the change and,
 * within a second, on a node that did not. Real embedded brokers in-process, real database.
 */
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { activeLocker, auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import {
  type EmbeddedBroker,
  type MqttLog,
  startEmbeddedBroker,
} from '../../platform/mqtt/broker.ts';
import { connectMqtt } from '../../platform/mqtt/client.ts';
import { CredentialWatch } from './credentials.runtime.ts';
import { DEVICE_AUTH_CACHE_MS, MqttLogins } from './device-auth.service.ts';
import { mqttHookSecret } from './mqtt-auth.routes.ts';

const quiet: MqttLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const LOCKER = 'lk-a01';

/** One node's MQTT side: an embedded broker whose logins are cached as in production, and its credential watch. */
interface Node {
  broker: EmbeddedBroker;
  watch: CredentialWatch;
}

describeEachDialect('locker credential revocation', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });
  const nodes: Node[] = [];
  const clients: MqttClient[] = [];

  const startNode = async (opts: { attach: boolean; everyMs?: number }): Promise<Node> => {
    const logins = new MqttLogins(t.database.db, t.deps.config.secrets.tokenKey, {
      cacheMs: DEVICE_AUTH_CACHE_MS,
    });
    const broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log: quiet,
      authenticate: logins.authenticate,
    });
    const watch = new CredentialWatch(t.database.db, t.clock, logins, broker, quiet, {
      everyMs: opts.everyMs ?? 60_000,
    });
    if (opts.attach) t.credentials.attach(watch);
    watch.start();
    const node = { broker, watch };
    nodes.push(node);
    return node;
  };
  const call = (who: WorldUser, url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(w, who), payload });
  const provision = async (): Promise<string> => {
    const { token } = (
      await call('communityWorker1', `/lockers/${LOCKER}/provisioning-token`)
    ).json();
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/provision',
      payload: { lockerId: LOCKER, token },
    });
    expect(r.statusCode).toBe(200);
    return r.json().mqttPassword;
  };
  const device = async (node: Node, password: string): Promise<MqttClient> => {
    const c = await connectMqtt({
      url: node.broker.url,
      username: LOCKER,
      password,
      clientId: LOCKER,
      log: quiet,
      connectTimeoutMs: 2000,
    });
    clients.push(c);
    return c;
  };
  const dropped = (c: MqttClient) =>
    new Promise<void>((r) => (c.connected ? c.once('close', () => r()) : r()));

  beforeEach(async () => {
    await activeLocker(t, w, LOCKER, '1栋1单元', 4);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    t.credentials.attach(null);
    for (const n of nodes.splice(0)) {
      await n.watch.stop();
      await n.broker.close();
    }
  });

  it('a rotated secret is refused right after the new one is redeemed, and its live session is dropped', async () => {
    const node = await startNode({ attach: true });
    const old = await provision();
    // This login leaves the old secret in the 60 s login cache (which used to outlive the rotation).
    const oldSession = await device(node, old);
    const closed = dropped(oldSession);
    const fresh = await provision();
    await expect(device(node, old)).rejects.toThrow(/refused/);
    await closed;
    oldSession.end(true);
    expect(node.broker.connectedClients()).toBe(0);
    const replaced = await device(node, fresh);
    expect(replaced.connected).toBe(true);
  });

  it('a node that did not make the rotation refuses the old secret and drops its session within a second', async () => {
    await startNode({ attach: true });
    const other = await startNode({ attach: false, everyMs: 100 });
    const old = await provision();
    const oldSession = await device(other, old);
    const closed = dropped(oldSession);
    const fresh = await provision();
    const t0 = Date.now();
    await closed;
    oldSession.end(true);
    expect(Date.now() - t0).toBeLessThan(1500);
    await expect(device(other, old)).rejects.toThrow(/refused/);
    const replaced = await device(other, fresh);
    // The change is still inside the look-back window: checking it again leaves the new board's session alone.
    expect(await other.watch.check()).toBe(0);
    expect(await other.watch.check([LOCKER])).toBe(0);
    expect(replaced.connected).toBe(true);
    expect(other.broker.connectedClients()).toBe(1);
  });

  it('retiring a locker drops its session, refuses its secret and deposits, and keeps its history', async () => {
    const node = await startNode({ attach: true });
    const secret = await provision();
    const session = await device(node, secret);
    const closed = dropped(session);
    const open = await call('communityWorker1', `/lockers/${LOCKER}/compartments/2/open`, {
      reason: '退役前检查',
    });
    expect(open.statusCode).toBe(202);

    const r = await call('communityWorker1', `/lockers/${LOCKER}/retire`, { reason: '柜体拆除' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: LOCKER, status: 'retired' });
    await closed;
    session.end(true);
    await expect(device(node, secret)).rejects.toThrow(/refused/);

    const deposit = await call('courier', `/lockers/${LOCKER}/deposits`, {
      waybill: 'SF1000000001',
      recipientPhone: '13800000001',
      size: 'S',
    });
    expect(deposit.statusCode).toBe(409);
    expect(deposit.json().error.message).toMatch(/retired/);
    expect(
      (await call('communityWorker1', `/lockers/${LOCKER}/provisioning-token`)).statusCode,
    ).toBe(409);
    const again = await call('communityWorker1', `/lockers/${LOCKER}/retire`, {
      reason: '再次退役',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/retired already/);

    const row = await t.database.db
      .selectFrom('lockers')
      .selectAll()
      .where('id', '=', LOCKER)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'retired', secret_hash: null, provisioning_hash: null });
    const kept = await t.app.inject({
      method: 'GET',
      url: `/api/v1/lockers/${LOCKER}`,
      headers: auth(w, 'communityWorker1'),
    });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().compartments).toHaveLength(4);
    const command = await t.database.db
      .selectFrom('locker_commands')
      .select('status')
      .where('id', '=', open.json().commandId)
      .executeTakeFirstOrThrow();
    expect(command.status).toBe('expired');
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('target_id', '=', LOCKER)
      .where('action', '=', 'locker.retire')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.detail)).toContain('柜体拆除');
  });

  it('refuses to retire a locker holding parcels unless forced, and only for admins covering it', async () => {
    await t.database.db
      .updateTable('compartments')
      .set({ use: 'occupied' })
      .where('locker_id', '=', LOCKER)
      .where('number', '=', 1)
      .execute();
    const held = await call('communityWorker1', `/lockers/${LOCKER}/retire`, {
      reason: '柜体拆除',
    });
    expect(held.statusCode).toBe(409);
    expect(held.json().error.message).toMatch(/1 compartment\(s\).*force/);
    expect(
      (await call('residentA', `/lockers/${LOCKER}/retire`, { reason: '柜体拆除' })).statusCode,
    ).toBe(403);
    expect(
      (await call('hallStaff1', `/lockers/${LOCKER}/retire`, { reason: '柜体拆除' })).statusCode,
    ).toBe(403);
    expect(
      (await call('communityWorker2', `/lockers/${LOCKER}/retire`, { reason: '柜体拆除' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call('communityWorker1', `/lockers/${LOCKER}/retire`, { reason: 'x' })).statusCode,
    ).toBe(400);
    expect(
      (await call('communityWorker1', '/lockers/lk-zz9/retire', { reason: '柜体拆除' })).statusCode,
    ).toBe(404);
    const forced = await call('admin', `/lockers/${LOCKER}/retire`, {
      reason: '柜体被盗',
      force: true,
    });
    expect(forced.statusCode).toBe(200);
    expect(forced.json().status).toBe('retired');
  });

  it("the EMQX hook refuses a rotated secret at once, and a retired locker's", async () => {
    const hook = (password: string) =>
      t.app
        .inject({
          method: 'POST',
          url: '/api/v1/mqtt/auth',
          headers: { authorization: `Bearer ${mqttHookSecret(t.deps.config.secrets.tokenKey)}` },
          payload: { username: LOCKER, password, clientid: LOCKER },
        })
        .then((r) => r.json().result);
    const old = await provision();
    expect(await hook(old)).toBe('allow');
    const fresh = await provision();
    expect(await hook(old)).toBe('deny');
    expect(await hook(fresh)).toBe('allow');
    expect(
      (await call('communityWorker1', `/lockers/${LOCKER}/retire`, { reason: '柜体拆除' }))
        .statusCode,
    ).toBe(200);
    expect(await hook(fresh)).toBe('deny');
  });
});
