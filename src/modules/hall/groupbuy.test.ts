/**
 * Group buying: one price, a target and a deadline; reaching the target confirms everyone,
 * missing it refunds everyone once; settling is exactly once even with several sweeps (two
 * nodes) and a payment landing at the deadline; nobody sees who else joined.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import { settleGroupBuy, sweepGroupBuys } from './groupbuy-settle.service.ts';
import * as repo from './groupbuy.repository.ts';
import {
  caller,
  extraResident,
  refreshTokens,
  type HallWorld,
  seedHallWorld,
} from './hall.testkit.ts';
import { deliverCallback } from './payment-callback.service.ts';
import { LocalPaymentProvider, paymentProvider } from '../../platform/payment/payment.port.ts';
import { createPayment } from './payment.service.ts';

const HOUR = 3_600_000;

describeEachDialect('hall group buys', (dialect) => {
  let t: TestApp;
  let w: HallWorld;
  let api: ReturnType<typeof caller>;
  let people: { authorization: string }[];
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedHallWorld(t);
    api = caller(t, w);
    people = await Promise.all(Array.from({ length: 10 }, (_, i) => extraResident(t, w, 300 + i)));
    // Unit A's door locker (the world's unit B has none).
    await activeLocker(t, w, 'gb-0001', '1单元柜', 24);
  });
  afterAll(async () => t?.close());

  const propose = async (targetQty: number) => {
    const r = await api('residentA', 'POST', `/me/halls/${w.hall1}/group-buys`, {
      title: '攀枝花芒果',
      description: '5 斤装',
      category: 'fruit',
      priceFen: 5900,
      unit: '箱',
      targetQty,
      deadline: iso(t.clock.now() + 2 * HOUR),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; deadline: string };
  };
  const join = (
    who: { authorization: string } | 'residentA' | 'residentB' | 'residentC',
    id: string,
    quantity = 1,
  ) => api(who, 'POST', `/me/group-buys/${id}/join`, { quantity, fulfilment: 'locker' });
  const refunds = async (buyId: string) =>
    t.database.db
      .selectFrom('hall_refunds as r')
      .innerJoin('hall_payments as p', 'p.id', 'r.payment_id')
      .innerJoin('hall_group_joins as j', 'j.id', 'p.subject_id')
      .select(['r.amount_fen', 'j.id'])
      .where('j.group_buy_id', '=', buyId)
      .execute();

  it('a unit with no locker at its door joins for pickup at the hall; asking for the locker is a 409 that writes nothing', async () => {
    const buy = await propose(5);
    const joins = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('hall_group_joins')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('group_buy_id', '=', buy.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const refused = await api('residentB', 'POST', `/me/group-buys/${buy.id}/join`, {
      quantity: 1,
      fulfilment: 'locker',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/到馆自取.*pickup at the hall/);
    expect(await joins()).toBe(0);
    const pickup = await api('residentB', 'POST', `/me/group-buys/${buy.id}/join`, {
      quantity: 1,
      fulfilment: 'pickup',
    });
    expect(pickup.statusCode, pickup.body).toBe(200);
    expect(pickup.json().mine).toEqual([expect.objectContaining({ fulfilment: 'pickup' })]);
    expect(await joins()).toBe(1);
    // Unit A has its locker: a locker join goes through.
    expect((await join('residentA', buy.id)).statusCode).toBe(200);
  });

  it('reaching the target confirms everyone; buyers see counts and their own joins only', async () => {
    const buy = await propose(5);
    expect((await join('residentC', buy.id)).statusCode).toBe(404);
    expect((await join(people[0]!, buy.id, 2)).json()).toMatchObject({
      status: 'open',
      joinedQty: 2,
      buyers: 1,
    });
    const seen = (await join(people[1]!, buy.id, 2)).json();
    expect(seen.mine).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toMatch(/userId|unitId|phone/);
    const done = (await join(people[2]!, buy.id, 1)).json();
    expect(done).toMatchObject({ status: 'confirmed', joinedQty: 5, buyers: 3 });
    const joins = await repo.joinsOf(t.database.db, buy.id);
    expect(joins.map((j) => j.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    const late = await join(people[3]!, buy.id);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/已成团/);
    const staff = (await api('hallStaff1', 'GET', `/halls/${w.hall1}/group-buys`)).json();
    expect(staff.find((b: { id: string }) => b.id === buy.id).mine).toEqual([]);
    for (const q of [0, -3, 100])
      expect((await join(people[4]!, (await propose(5)).id, q)).statusCode).toBe(400);
  });

  it('a target crossed by parallel joins just before the deadline, swept by two nodes at it: settled once', async () => {
    const buy = await propose(10);
    for (let i = 0; i < 4; i++) await join(people[i]!, buy.id, 2);
    t.clock.advance(Date.parse(buy.deadline) - t.clock.now() - 1);
    await refreshTokens(t, w, people);
    const racing = await Promise.all([
      join(people[4]!, buy.id, 1),
      join(people[5]!, buy.id, 1),
      join(people[6]!, buy.id, 1),
      settleGroupBuy(t.deps, buy.id),
      settleGroupBuy(t.deps, buy.id),
    ]);
    expect(racing.slice(3)).toEqual([null, null]);
    t.clock.advance(1);
    const settledAt = (await repo.findGroupBuy(t.database.db, buy.id))!.settled_at;
    const [again] = await Promise.all([settleGroupBuy(t.deps, buy.id), sweepGroupBuys(t.deps)]);
    expect(again).toBeNull();
    const after = (await repo.findGroupBuy(t.database.db, buy.id))!;
    expect(after).toMatchObject({ status: 'confirmed', settled_at: settledAt });
    const joins = await repo.joinsOf(t.database.db, buy.id);
    // Two of the three last joins crossed the target; the third was turned away (409) or, when its
    // payment landed after the buy closed, refunded once.
    expect(joins.filter((j) => j.status === 'confirmed').reduce((n, j) => n + j.quantity, 0)).toBe(
      10,
    );
    const turnedAway = racing
      .slice(0, 3)
      .filter((r) => (r as { statusCode: number }).statusCode === 409);
    const refunded = joins.filter((j) => j.status === 'refunded');
    expect(turnedAway.length + refunded.length).toBe(1);
    expect((await refunds(buy.id)).map((r) => r.id)).toEqual(refunded.map((j) => j.id));
  });

  it('missing the target refunds everyone exactly once, with a payment landing at the deadline', async () => {
    const buy = await propose(10);
    for (let i = 0; i < 3; i++) expect((await join(people[i]!, buy.id, 3)).statusCode).toBe(200);
    // A ninth-and-tenth join whose payment is still on its way.
    const joinId = newId(t.clock, cryptoRandom);
    const payment = await t.database.db.transaction().execute(async (trx) => {
      await repo.insertJoin(trx, {
        id: joinId,
        group_buy_id: buy.id,
        community_id: w.community1,
        user_id: w.users.residentB.id,
        unit_id: w.unitB,
        quantity: 2,
        fulfilment: 'pickup',
        status: 'awaiting_payment',
        created_at: iso(t.clock.now()),
      });
      return createPayment(trx, t.deps, {
        subjectKind: 'group_join',
        subjectId: joinId,
        userId: w.users.residentB.id,
        communityId: w.community1,
        amountFen: 11800,
      });
    });
    const body = JSON.stringify({
      eventId: `e-${payment.id}`,
      paymentId: payment.id,
      providerRef: 'x',
      amountFen: 11800,
      status: 'paid',
    });
    const signed = {
      body,
      signature: (paymentProvider(t.deps.config) as LocalPaymentProvider).sign(body),
    };
    t.clock.advance(Date.parse(buy.deadline) - t.clock.now());
    const [a, b, c, cb] = await Promise.all([
      settleGroupBuy(t.deps, buy.id),
      settleGroupBuy(t.deps, buy.id),
      sweepGroupBuys(t.deps),
      deliverCallback(t.deps, signed),
    ]);
    expect([a, b].filter((x) => x === 'failed').length).toBeLessThanOrEqual(1);
    expect(c).toBeGreaterThanOrEqual(0);
    expect(cb).toBe('settled');
    const joins = await repo.joinsOf(t.database.db, buy.id);
    expect(joins.map((j) => j.status)).toEqual(['refunded', 'refunded', 'refunded', 'refunded']);
    const rs = await refunds(buy.id);
    expect(rs).toHaveLength(4);
    expect(rs.reduce((n, r) => n + r.amount_fen, 0)).toBe(9 * 5900 + 11800);
    expect((await repo.findGroupBuy(t.database.db, buy.id))!.status).toBe('failed');
  });

  it('a confirmed buy is handed out: locker joins into the unit locker (once), pickup joins at the counter; staff see units, never who', async () => {
    await refreshTokens(t, w, people);
    const buy = await propose(3);
    const pickupJoin = await api(people[5]!, 'POST', `/me/group-buys/${buy.id}/join`, {
      quantity: 1,
      fulfilment: 'pickup',
    });
    expect(pickupJoin.statusCode, pickupJoin.body).toBeLessThan(300);
    const joinsUrl = `/halls/${w.hall1}/group-buys/${buy.id}/joins`;
    const early = (await api('hallStaff1', 'GET', joinsUrl)).json();
    expect(early).toHaveLength(1);
    // Not confirmed yet: nothing to hand out.
    const tooEarly = await api('hallStaff1', 'POST', `${joinsUrl}/${early[0].id}/hand-over`);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error.message).toMatch(/尚未成团/);
    expect((await join('residentA', buy.id, 2)).json().status).toBe('confirmed');

    const joins = (await api('hallStaff1', 'GET', joinsUrl)).json();
    expect(joins).toHaveLength(2);
    expect(JSON.stringify(joins)).not.toMatch(/居民|1590000|userId|phone/);
    const locker = joins.find((j: { fulfilment: string }) => j.fulfilment === 'locker');
    const counter = joins.find((j: { fulfilment: string }) => j.fulfilment === 'pickup');
    expect(locker).toMatchObject({ status: 'confirmed', quantity: 2, parcel: null });
    expect(locker.unit).not.toBe('');
    // The other community's office cannot see this buy; it is not another hall's buy either.
    expect((await api('communityWorker2', 'GET', joinsUrl)).statusCode).toBe(404);
    expect(
      (
        await api(
          'communityWorker2',
          'POST',
          `/halls/${w.hall2}/group-buys/${buy.id}/joins/${locker.id}/deliver`,
          {},
        )
      ).statusCode,
    ).toBe(404);
    // The pickup join is not for the locker; the locker join goes in once, even on two clicks.
    expect(
      (await api('hallStaff1', 'POST', `${joinsUrl}/${counter.id}/deliver`, {})).statusCode,
    ).toBe(409);
    const [a, b] = await Promise.all([
      api('hallStaff1', 'POST', `${joinsUrl}/${locker.id}/deliver`, { size: 'M' }),
      api('hallStaff1', 'POST', `${joinsUrl}/${locker.id}/deliver`, { size: 'M' }),
    ]);
    // A click racing the first is told to retry (PostgreSQL) or gets the same parcel; a retry gets it.
    expect([a.statusCode, b.statusCode], a.body + b.body).toContain(200);
    for (const r of [a, b])
      if (r.statusCode !== 200) expect(r.json().error.message).toMatch(/retry/);
    const first = a.statusCode === 200 ? a : b;
    expect(first.json().parcel).toMatchObject({ status: 'reserved', lockerId: 'gb-0001' });
    const again = await api('hallStaff1', 'POST', `${joinsUrl}/${locker.id}/deliver`, {});
    expect(again.json().parcel.id).toBe(first.json().parcel.id);
    const parcels = await t.database.db
      .selectFrom('parcels')
      .select(['waybill', 'kind'])
      .where('waybill', 'like', 'HALL-GB-%')
      .execute();
    expect(parcels).toHaveLength(1);
    // A join in the locker is not also handed over; the counter join is, once.
    expect((await api('hallStaff1', 'POST', `${joinsUrl}/${locker.id}/hand-over`)).statusCode).toBe(
      409,
    );
    const handed = await api('hallStaff1', 'POST', `${joinsUrl}/${counter.id}/hand-over`);
    expect(handed.statusCode).toBe(200);
    expect(handed.json().handedOverAt).not.toBeNull();

    // The deposit is given up (the door shut empty): 投柜 again makes a new parcel, once.
    await t.database.db
      .updateTable('parcels')
      .set({ status: 'cancelled' })
      .where('id', '=', first.json().parcel.id)
      .execute();
    const retry = await api('hallStaff1', 'POST', `${joinsUrl}/${locker.id}/deliver`, {});
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().parcel.id).not.toBe(first.json().parcel.id);
    expect(retry.json().parcel.status).toBe('reserved');
    expect(
      (await api('hallStaff1', 'POST', `${joinsUrl}/${locker.id}/deliver`, {})).json().parcel.id,
    ).toBe(retry.json().parcel.id);
    expect(
      await t.database.db
        .selectFrom('parcels')
        .select('status')
        .where('waybill', 'like', 'HALL-GB-%')
        .orderBy('status')
        .execute(),
    ).toEqual([{ status: 'cancelled' }, { status: 'reserved' }]);
  });

  it('a locker join whose deposit was given up may be handed over at the counter instead', async () => {
    const buy = await propose(2);
    expect((await join('residentA', buy.id, 2)).json().status).toBe('confirmed');
    const joinsUrl = `/halls/${w.hall1}/group-buys/${buy.id}/joins`;
    const [j] = (await api('hallStaff1', 'GET', joinsUrl)).json();
    const d = await api('hallStaff1', 'POST', `${joinsUrl}/${j.id}/deliver`, { size: 'S' });
    expect(d.statusCode, d.body).toBe(200);
    expect((await api('hallStaff1', 'POST', `${joinsUrl}/${j.id}/hand-over`)).statusCode).toBe(409);
    await t.database.db
      .updateTable('parcels')
      .set({ status: 'cancelled' })
      .where('id', '=', d.json().parcel.id)
      .execute();
    const handed = await api('hallStaff1', 'POST', `${joinsUrl}/${j.id}/hand-over`);
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().handedOverAt).not.toBeNull();
  });
});
