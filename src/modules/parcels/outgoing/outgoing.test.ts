/**
 * Sending (寄件): a resident's outgoing parcel tells nobody, shows up for its carrier's
 * couriers only (without the sender), and is picked up when the door opens for a collect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeLocker, auth, seedWorld, type World } from '../../../../test/factories.ts';
import {
  buildTestApp,
  CapturingSms,
  describeEachDialect,
  type Dialect,
  openTestDatabase,
  TEST_ENV,
  type TestApp,
} from '../../../../test/harness.ts';
import { buildApp } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { lockerTopic } from '../../../contract/index.ts';
import { cryptoRandom, iso, ManualClock, newId } from '../../../platform/clock.ts';
import { ingest } from '../../lockers/index.ts';
import { outgoingRoutes } from './outgoing.routes.ts';
import { collectOutgoing, listOutgoing, sendParcel } from './outgoing.service.ts';
import { parcelHooks } from '../locker/parcel.hooks.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as eventRepo from '../core/parcel-event.repository.ts';
import { storeParcel } from '../deposit/store.service.ts';

const L = 'out-0001';

/** Set to true once outgoingRoutes is registered under /api/v1 in src/app.ts; until then this test registers it itself. */
const ROUTES_REGISTERED = true;

/** buildTestApp, plus the extras routes while src/app.ts does not register them yet. */
async function buildAppWithExtras(dialect: Dialect): Promise<TestApp> {
  if (ROUTES_REGISTERED) return buildTestApp(dialect);
  const database = await openTestDatabase(dialect);
  const clock = new ManualClock();
  const sms = new CapturingSms();
  const built = await buildApp({
    config: loadConfig({ ...TEST_ENV }, {}),
    database,
    clock,
    sms,
    logger: false,
  });
  await built.app.register(outgoingRoutes, { prefix: '/api/v1', deps: built.deps });
  await built.app.ready();
  return {
    ...built,
    dialect,
    database,
    clock,
    sms,
    close: async () => (await built.app.close(), await database.destroy()),
  };
}

describeEachDialect('outgoing parcels', (dialect) => {
  let t: TestApp;
  let w: World;
  let otherCarrier = '';
  beforeAll(async () => {
    t = await buildAppWithExtras(dialect);
    w = await seedWorld(t);
    await activeLocker(t, w, L, '寄件柜', 24);
    otherCarrier = newId(t.clock, cryptoRandom);
    await t.database.db
      .insertInto('carriers')
      .values({
        id: otherCarrier,
        code: 'sf',
        name: '顺丰速运',
        kind: 'express',
        created_at: iso(t.clock.now()),
      })
      .execute();
  });
  afterAll(async () => t?.close());

  const resident = () => ({ userId: w.users.residentA.id, communities: [w.community1] });
  const courier = (carrierId: string) => ({ userId: w.users.courier.id, carrierId });

  it('stores an outgoing parcel without notifying anyone and lists it for its carrier only', async () => {
    const { parcel } = await sendParcel(t.deps, resident(), {
      lockerId: L,
      carrierId: w.carrier,
      size: 'S',
    });
    expect(parcel).toMatchObject({
      kind: 'outgoing',
      carrier_id: w.carrier,
      depositor_id: w.users.residentA.id,
      recipient_phone_cipher: null,
      recipient_user_id: null,
    });
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    expect(
      await t.database.db
        .selectFrom('notifications')
        .selectAll()
        .where('parcel_id', '=', parcel.id)
        .execute(),
    ).toEqual([]);
    const list = await listOutgoing(t.deps, w.carrier);
    expect(list).toEqual([
      expect.objectContaining({
        id: parcel.id,
        locker_id: L,
        locker_name: '寄件柜',
        compartment: parcel.compartment,
        compound: '清淳家园',
        site: '1栋1单元门口',
      }),
    ]);
    expect(await listOutgoing(t.deps, otherCarrier)).toEqual([]);
  });

  it('opens the compartment for a courier of that carrier, and the parcel is picked up when the door opens', async () => {
    const [row] = await listOutgoing(t.deps, w.carrier);
    await expect(collectOutgoing(t.deps, courier(otherCarrier), row!.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    const cmd = await collectOutgoing(t.deps, courier(w.carrier), row!.id);
    expect(JSON.parse(cmd.body)).toEqual({
      type: 'open',
      compartment: row!.compartment,
      reason: 'retrieve',
      parcelId: row!.id,
    });
    const changed: string[] = [];
    const res = {
      messageId: newId(t.clock, cryptoRandom),
      lockerId: L,
      sentAt: iso(t.clock.now()),
      commandId: cmd.id,
      commandType: 'open',
      status: 'opened',
      compartment: row!.compartment,
    };
    expect(
      (
        await ingest(
          t.deps,
          parcelHooks(t.deps, (id) => changed.push(id)),
          lockerTopic(L, 'res'),
          Buffer.from(JSON.stringify(res)),
        )
      ).applied,
    ).toBe(true);
    const p = (await parcels.findParcel(t.database.db, row!.id))!;
    expect(p).toMatchObject({ status: 'picked_up', pickup_command_id: cmd.id });
    expect(changed).toEqual([L]);
    expect((await eventRepo.parcelEvents(t.database.db, p.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['collect_requested', 'picked_up']),
    );
    expect(await listOutgoing(t.deps, w.carrier)).toEqual([]);
    await expect(collectOutgoing(t.deps, courier(w.carrier), p.id)).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('refuses lockers outside the community, unknown carriers and takeout platforms', async () => {
    await expect(
      sendParcel(
        t.deps,
        { userId: w.users.residentC.id, communities: [w.community2] },
        { lockerId: L, carrierId: w.carrier, size: 'S' },
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      sendParcel(t.deps, resident(), {
        lockerId: L,
        carrierId: newId(t.clock, cryptoRandom),
        size: 'S',
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const rider = newId(t.clock, cryptoRandom);
    await t.database.db
      .insertInto('carriers')
      .values({
        id: rider,
        code: 'eleme',
        name: '饿了么',
        kind: 'takeout',
        created_at: iso(t.clock.now()),
      })
      .execute();
    await expect(
      sendParcel(t.deps, resident(), { lockerId: L, carrierId: rider, size: 'S' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  describe('over HTTP', () => {
    const api = (
      who: Parameters<typeof auth>[1],
      method: 'GET' | 'POST',
      url: string,
      payload?: object,
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: auth(w, who),
        ...(payload ? { payload } : {}),
      });

    it('residents deposit for neighbours and send; couriers of the carrier list and collect, without the sender', async () => {
      const n = await api('residentA', 'POST', `/lockers/${L}/neighbour-deposits`, {
        recipientPhone: '13800000002',
        size: 'S',
        note: '钥匙',
      });
      expect(n.statusCode).toBe(201);
      expect(n.json()).toMatchObject({ lockerId: L, status: 'reserved' });
      expect(
        (
          await api('residentC', 'POST', `/lockers/${L}/neighbour-deposits`, {
            recipientPhone: '13800000002',
            size: 'S',
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await api('courier', 'POST', `/lockers/${L}/neighbour-deposits`, {
            recipientPhone: '13800000002',
            size: 'S',
          })
        ).statusCode,
      ).toBe(403);

      const o = await api('residentA', 'POST', `/lockers/${L}/outgoing`, {
        carrierId: w.carrier,
        size: 'S',
      });
      expect(o.statusCode).toBe(201);
      const parcel = (await parcels.findParcel(t.database.db, o.json().parcelId))!;
      await storeParcel(t.database.db, t.deps, parcel, 'api');
      const list = await api('courier', 'GET', '/courier/outgoing');
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual([
        {
          parcelId: parcel.id,
          lockerId: L,
          lockerName: '寄件柜',
          address: '清淳家园1栋1单元门口',
          compartment: parcel.compartment,
          size: 'S',
          storedAt: expect.any(String),
        },
      ]);
      expect(JSON.stringify(list.json())).not.toMatch(/1380000|residentA/);
      expect((await api('residentA', 'GET', '/courier/outgoing')).statusCode).toBe(403);
      const c = await api('courier', 'POST', `/courier/outgoing/${parcel.id}/collect`);
      expect(c.statusCode).toBe(202);
      expect(c.json()).toMatchObject({ lockerId: L });
    });
  });
});
