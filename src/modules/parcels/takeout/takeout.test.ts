/**
 * Takeout dwell: a reminder 30 minutes before free storage ends, then one alert for
 * staff to clear and disinfect the compartment; each once per parcel.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { cryptoRandom, iso, newId } from '../../../platform/clock.ts';
import { deposit } from '../deposit/deposit.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import { storeParcel } from '../deposit/store.service.ts';
import { sweepTakeout } from './takeout.service.ts';

const L = 'tko-0001';

describeEachDialect('takeout dwell', (dialect) => {
  let t: TestApp;
  let w: World;
  let rider = '';
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await activeLocker(t, w, L, '外卖柜', 24);
    rider = newId(t.clock, cryptoRandom);
    await t.database.db
      .insertInto('carriers')
      .values({
        id: rider,
        code: 'meituan',
        name: '美团外卖',
        kind: 'takeout',
        created_at: iso(t.clock.now()),
      })
      .execute();
  });
  afterAll(async () => t?.close());

  const stored = async (phone: string) => {
    const { parcel } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: rider },
      { lockerId: L, waybill: null, recipientPhone: phone, size: 'S', kind: 'takeout' },
    );
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    return (await parcels.findParcel(t.database.db, parcel.id))!;
  };
  const notices = (parcelId: string) =>
    t.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('parcel_id', '=', parcelId)
      .where('channel', '=', 'sms')
      .orderBy('created_at')
      .execute();
  const alerts = () =>
    t.database.db
      .selectFrom('locker_alerts')
      .selectAll()
      .where('locker_id', '=', L)
      .where('kind', '=', 'takeout_overdue')
      .execute();

  it('reminds the recipient once, 30 minutes before free storage ends, then alerts staff once when it has ended', async () => {
    const p = await stored('13800000002');
    const c = await t.database.db
      .selectFrom('compartments')
      .select('kind')
      .where('locker_id', '=', L)
      .where('number', '=', p.compartment)
      .executeTakeFirstOrThrow();
    expect(c.kind).toBe('food');
    expect(Date.parse(p.free_until!) - Date.parse(p.stored_at!)).toBe(2 * 3600_000);

    t.clock.advance(89 * 60_000);
    expect(await sweepTakeout(t.deps)).toBe(0);
    expect(await notices(p.id)).toHaveLength(1);

    t.clock.advance(2 * 60_000);
    expect(await sweepTakeout(t.deps)).toBe(1);
    expect(await sweepTakeout(t.deps)).toBe(0);
    const sms = await notices(p.id);
    expect(sms).toHaveLength(2);
    expect(sms[1]!.body).toMatch(/外卖仍在\d+号格口，取件码 \d{8}，请于.*前取餐/);
    expect(t.deps.vault.decrypt(sms[1]!.phone_cipher!)).toBe('13800000002');
    expect(await alerts()).toHaveLength(0);

    t.clock.advance(30 * 60_000);
    expect(await sweepTakeout(t.deps)).toBe(1);
    expect(await sweepTakeout(t.deps)).toBe(0);
    const a = await alerts();
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ compartment: p.compartment, status: 'open', occurrences: 1 });
    expect(a[0]!.message).toMatch(/clear it and disinfect/);
    expect(await notices(p.id)).toHaveLength(2);
  });

  it('leaves collected takeout alone', async () => {
    const p = await stored('13800000001');
    await parcels.transition(t.database.db, p.id, 'stored', {
      status: 'picked_up',
      picked_up_at: iso(t.clock.now()),
    });
    const before = await alerts();
    t.clock.advance(3 * 3600_000);
    expect(await sweepTakeout(t.deps)).toBe(0);
    expect(await alerts()).toEqual(before);
  });
});
