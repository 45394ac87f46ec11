import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedWorld, type World } from '../../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { Phone } from '../../../platform/crypto/phone.ts';
import { createLocker, ingest } from '../../lockers/index.ts';
import * as policies from './overdue.policy.ts';
import * as overdueSvc from './overdue.service.ts';
import * as shelf from './hall-shelf.service.ts';

const overdue = { ...overdueSvc, ...policies, ...shelf };
import type { ParcelRow } from '../core/parcel.repository.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as eventRepo from '../core/parcel-event.repository.ts';
import { storeParcel } from '../deposit/store.service.ts';
import { collectReturn, listReturns } from './returns.service.ts';
import { lockerTopic } from '../../../contract/index.ts';
import { parcelHooks } from '../locker/parcel.hooks.ts';

const H = 3600_000;
const LOCKER = 'ovd-0001';
const PHONE = '13800000009' as Phone;

/** A locker at site A and a way to store a parcel in it; returns the parcel and its code (read from the queued SMS). */
async function lockerWithParcels(t: TestApp, w: World) {
  await createLocker(t.deps, null, w.siteA, {
    id: LOCKER,
    name: '1号柜',
    compartments: [1, 2, 3, 4].map((number) => ({
      number,
      size: 'M' as const,
      kind: 'normal' as const,
    })),
  });
  return async function store(
    compartment: number,
    extra: Partial<ParcelRow> = {},
  ): Promise<{ parcel: ParcelRow; code: string }> {
    const db = t.deps.db;
    const now = iso(t.clock.now());
    const row: ParcelRow = {
      id: newId(t.clock, t.deps.random),
      community_id: w.community1,
      locker_id: LOCKER,
      compartment,
      kind: 'delivery',
      size: 'M',
      status: 'reserved',
      carrier_id: null,
      depositor_id: w.users.courier.id,
      waybill: 'ZT123456789',
      recipient_phone_hash: t.deps.vault.hash(PHONE),
      recipient_phone_cipher: t.deps.vault.encrypt(PHONE),
      recipient_phone_tail: PHONE.slice(7),
      recipient_user_id: null,
      code_hash: null,
      code_cipher: null,
      code_verifier: null,
      code_expires_at: null,
      reserved_until: iso(t.clock.now() + 60_000),
      stored_at: null,
      free_until: null,
      picked_up_at: null,
      pickup_command_id: null,
      deidentified_at: null,
      together_with: null,
      note: null,
      created_at: now,
      updated_at: now,
      ...extra,
    };
    await parcels.insertParcel(db, row);
    await db
      .updateTable('compartments')
      .set({ use: 'reserved', door: 'closed', occupied: 'yes' })
      .where('locker_id', '=', LOCKER)
      .where('number', '=', compartment)
      .execute();
    expect(await storeParcel(db, t.deps, row, 'api')).toBe(true);
    const sms = await db
      .selectFrom('notifications')
      .select('body')
      .where('parcel_id', '=', row.id)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    return { parcel: (await parcels.findParcel(db, row.id))!, code: sms.body.match(/\d{8}/)![0] };
  };
}

async function smsOf(t: TestApp, parcelId: string): Promise<string[]> {
  const rows = await t.deps.db
    .selectFrom('notifications')
    .select('body')
    .where('parcel_id', '=', parcelId)
    .where('channel', '=', 'sms')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.body);
}

describeEachDialect('overdue parcels', (dialect) => {
  let t: TestApp;
  let w: World;
  let store: Awaited<ReturnType<typeof lockerWithParcels>>;

  beforeEach(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    store = await lockerWithParcels(t, w);
  });
  afterEach(async () => t.close());

  it('gives the defaults until a policy is saved, then the saved policy', async () => {
    expect(await overdue.policyFor(t.deps.db, w.community1)).toMatchObject({
      freeHours: 48,
      reminderHoursBefore: 6,
      action: 'move_to_hall',
      feeCapFen: 0,
      retentionDays: 30,
      updatedAt: null,
    });
    await overdue.savePolicy(t.deps, w.community1, {
      freeHours: 24,
      reminderHoursBefore: 3,
      action: 'capped_fee',
      feePerDayFen: 100,
      feeCapFen: 300,
      retentionDays: 7,
    });
    await overdue.savePolicy(t.deps, w.community1, {
      freeHours: 24,
      reminderHoursBefore: 3,
      action: 'capped_fee',
      feePerDayFen: 100,
      feeCapFen: 500,
      retentionDays: 7,
    });
    expect(await overdue.policyFor(t.deps.db, w.community1)).toMatchObject({
      action: 'capped_fee',
      feeCapFen: 500,
      updatedAt: iso(t.clock.now()),
    });
    expect((await overdue.policyFor(t.deps.db, w.community2)).updatedAt).toBeNull();
  });

  it('queues one reminder without the code shortly before the deadline', async () => {
    const { parcel, code } = await store(1);
    expect((await overdue.sweepOverdue(t.deps)).reminded).toBe(0);
    t.clock.advance(43 * H);
    expect((await overdue.sweepOverdue(t.deps)).reminded).toBe(1);
    expect((await overdue.sweepOverdue(t.deps)).reminded).toBe(0);
    const sms = await smsOf(t, parcel.id);
    expect(sms).toHaveLength(2);
    expect(sms[1]).toContain('请凭取件码于');
    expect(sms[1]).not.toContain(code);
  });

  it('moves an overdue parcel to the hall: fetch, shelve, hand over against the same code', async () => {
    const { parcel, code } = await store(2);
    t.clock.advance(49 * H);
    expect(await overdue.sweepOverdue(t.deps)).toMatchObject({ toHall: 1 });
    expect((await overdue.sweepOverdue(t.deps)).toHall).toBe(0);
    const [item] = await overdue.listShelf(t.deps, w.hall1, {
      status: 'to_move',
      limit: 10,
      offset: 0,
    });
    expect(item).toMatchObject({ parcel_id: parcel.id, locker_id: LOCKER, compartment: 2 });
    expect(await overdue.listShelf(t.deps, w.hall2, { limit: 10, offset: 0 })).toEqual([]);

    const staff = w.users.hallStaff1.id;
    const { commandId } = await overdue.retrieveForHall(t.deps, staff, w.hall1, item!.id);
    const cmd = await t.deps.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('id', '=', commandId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(cmd.body)).toMatchObject({
      type: 'open',
      compartment: 2,
      reason: 'retrieve',
      parcelId: parcel.id,
    });

    // The door opens for staff: the parcel leaves the locker for the hall — it is not returned to a carrier.
    const res = {
      messageId: newId(t.clock, t.deps.random),
      lockerId: LOCKER,
      sentAt: iso(t.clock.now()),
      commandId,
      commandType: 'open',
      status: 'opened',
      compartment: 2,
    };
    expect(
      (
        await ingest(
          t.deps,
          parcelHooks(t.deps, () => {}),
          lockerTopic(LOCKER, 'res'),
          Buffer.from(JSON.stringify(res)),
        )
      ).applied,
    ).toBe(true);
    expect((await parcels.findParcel(t.deps.db, parcel.id))!.status).toBe('at_hall');
    expect((await smsOf(t, parcel.id)).at(-1)).toMatch(/服务馆工作人员已从.*2号格口取出，正送往/);
    expect((await smsOf(t, parcel.id)).join()).not.toMatch(/退回/);
    expect(await overdue.listShelf(t.deps, w.hall1, { limit: 10, offset: 0 })).toMatchObject([
      { status: 'to_move', parcel_status: 'at_hall' },
    ]);
    await expect(overdue.handOver(t.deps, staff, w.hall1, item!.id, code)).rejects.toMatchObject({
      code: 'conflict',
      message: 'Shelve the parcel first.',
    });

    t.clock.advance(60_000); // staff walk the parcel over; the notices keep their order
    await t.deps.db
      .updateTable('compartments')
      .set({ occupied: 'no', door: 'closed' })
      .where('locker_id', '=', LOCKER)
      .where('number', '=', 2)
      .execute();
    const shelved = await overdue.shelve(t.deps, staff, w.hall1, item!.id, 'A-03');
    expect(shelved).toMatchObject({ status: 'on_shelf', slot: 'A-03', moved_by: staff });
    expect((await parcels.findParcel(t.deps.db, parcel.id))!.status).toBe('at_hall');
    const comp = await t.deps.db
      .selectFrom('compartments')
      .select('use')
      .where('locker_id', '=', LOCKER)
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    expect(comp.use).toBe('free');
    const told = (await smsOf(t, parcel.id)).at(-1)!;
    expect(told).toContain('货架 A-03');
    expect(told).not.toContain(code);
    await expect(overdue.shelve(t.deps, staff, w.hall1, item!.id, 'B-01')).rejects.toMatchObject({
      code: 'conflict',
    });

    await expect(overdue.handOver(t.deps, staff, w.hall2, item!.id, code)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      overdue.handOver(
        t.deps,
        staff,
        w.hall1,
        item!.id,
        code === '00000000' ? '00000001' : '00000000',
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await overdue.handOver(t.deps, staff, w.hall1, item!.id, code)).toMatchObject({
      status: 'handed_over',
    });
    const after = (await parcels.findParcel(t.deps.db, parcel.id))!;
    expect(after.status).toBe('picked_up');
    expect((await eventRepo.parcelEvents(t.deps.db, parcel.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'overdue',
        'retrieve_requested',
        'taken_out_for_hall',
        'moved_to_hall',
        'picked_up',
      ]),
    );
    await expect(overdue.handOver(t.deps, staff, w.hall1, item!.id, code)).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('throttles wrong codes per hall', async () => {
    const { code } = await store(3);
    t.clock.advance(49 * H);
    await overdue.sweepOverdue(t.deps);
    const [item] = await overdue.listShelf(t.deps, w.hall1, { limit: 10, offset: 0 });
    await overdue.shelve(t.deps, w.users.hallStaff1.id, w.hall1, item!.id, 'A-01');
    const wrong = code === '12345678' ? '87654321' : '12345678';
    for (let i = 0; i < overdue.WRONG_CODES_PER_HALL; i++)
      await expect(
        overdue.handOver(t.deps, w.users.hallStaff1.id, w.hall1, item!.id, wrong),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      overdue.handOver(t.deps, w.users.hallStaff1.id, w.hall1, item!.id, code),
    ).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: expect.any(Number),
      message: expect.stringMatching(
        /^Too many wrong codes at this hall\. Try again in \d+ seconds\.$/,
      ),
    });
  });

  it('charges a capped fee from the end of free storage', async () => {
    await overdue.savePolicy(t.deps, w.community1, {
      freeHours: 48,
      reminderHoursBefore: 6,
      action: 'capped_fee',
      feePerDayFen: 200,
      feeCapFen: 500,
      retentionDays: 30,
    });
    const { parcel } = await store(1);
    t.clock.advance(47 * H);
    expect((await overdue.overdueStatus(t.deps, w.community1, parcel.id)).feeFen).toBe(0);
    t.clock.advance(2 * H);
    expect(await overdue.sweepOverdue(t.deps)).toMatchObject({ fees: 1, toHall: 0 });
    expect(await overdue.overdueStatus(t.deps, w.community1, parcel.id)).toMatchObject({
      action: 'capped_fee',
      feeFen: 200,
    });
    t.clock.advance(24 * H);
    expect((await overdue.overdueStatus(t.deps, w.community1, parcel.id)).feeFen).toBe(400);
    t.clock.advance(240 * H);
    expect((await overdue.overdueStatus(t.deps, w.community1, parcel.id)).feeFen).toBe(500);
    await expect(overdue.overdueStatus(t.deps, w.community2, parcel.id)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it("marks overdue parcels for the depositor's carrier; a resident's deposit goes to the hall instead", async () => {
    await overdue.savePolicy(t.deps, w.community1, {
      freeHours: 48,
      reminderHoursBefore: 6,
      action: 'return_to_courier',
      feePerDayFen: 0,
      feeCapFen: 0,
      retentionDays: 30,
    });
    const { parcel } = await store(1, { carrier_id: w.carrier });
    await store(2, { kind: 'neighbour', depositor_id: w.users.residentA.id });
    t.clock.advance(49 * H);
    expect(await overdue.sweepOverdue(t.deps)).toMatchObject({ returns: 1, toHall: 1 });
    const returns = await listReturns(t.deps, w.carrier);
    expect(returns.map((p) => p.parcelId)).toEqual([parcel.id]);
    // The courier is told where to go (compound, site and locker names), never the flat.
    expect(returns[0]!.lockerName).toMatch(/\S/);
    expect(returns[0]!.address).toMatch(/\S{2,}/);
    // Only that carrier's courier may take it back; the door opening settles it as returned and tells the recipient.
    await expect(
      collectReturn(
        t.deps,
        { userId: w.users.courier.id, carrierId: newId(t.clock, t.deps.random) },
        parcel.id,
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    const cmd = await collectReturn(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      parcel.id,
    );
    const res = {
      messageId: newId(t.clock, t.deps.random),
      lockerId: LOCKER,
      sentAt: iso(t.clock.now()),
      commandId: cmd.id,
      commandType: 'open',
      status: 'opened',
      compartment: parcel.compartment,
    };
    expect(
      (
        await ingest(
          t.deps,
          parcelHooks(t.deps, () => {}),
          lockerTopic(LOCKER, 'res'),
          Buffer.from(JSON.stringify(res)),
        )
      ).applied,
    ).toBe(true);
    expect(await parcels.findParcel(t.deps.db, parcel.id)).toMatchObject({
      status: 'returned',
      pickup_command_id: cmd.id,
    });
    expect((await smsOf(t, parcel.id)).at(-1)).toMatch(/已退回快递公司/);
    expect(await listReturns(t.deps, w.carrier)).toEqual([]);
    await expect(
      collectReturn(t.deps, { userId: w.users.courier.id, carrierId: w.carrier }, parcel.id),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('overdueFee', () => {
  const freeUntil = '2026-11-26T00:00:00.000Z';
  const base = Date.parse(freeUntil);
  const policy = fc.record({
    feePerDayFen: fc.integer({ min: 0, max: 100_000 }),
    feeCapFen: fc.integer({ min: 0, max: 1_000_000 }),
  });
  const offset = fc.integer({ min: -30 * 86_400_000, max: 400 * 86_400_000 });

  it('is never negative and never above the cap', () => {
    fc.assert(
      fc.property(policy, offset, (p, dt) => {
        const fee = overdue.overdueFee(p, freeUntil, base + dt);
        return Number.isInteger(fee) && fee >= 0 && fee <= p.feeCapFen;
      }),
    );
  });

  it('never falls as time passes', () => {
    fc.assert(
      fc.property(
        policy,
        offset,
        fc.nat(50 * 86_400_000),
        (p, dt, more) =>
          overdue.overdueFee(p, freeUntil, base + dt) <=
          overdue.overdueFee(p, freeUntil, base + dt + more),
      ),
    );
  });

  it('is free until the deadline and a day per started day after it', () => {
    const p = { feePerDayFen: 150, feeCapFen: 1000 };
    expect(overdue.overdueFee(p, freeUntil, base)).toBe(0);
    expect(overdue.overdueFee(p, freeUntil, base + 1)).toBe(150);
    expect(overdue.overdueFee(p, freeUntil, base + 86_400_000 + 1)).toBe(300);
    expect(overdue.overdueFee(p, freeUntil, base + 100 * 86_400_000)).toBe(1000);
  });
});
