/**
 * Booking the rest area and the meeting room: 20 parallel requests for one slot get exactly
 * its capacity; the rules (notice, past, hours, seats, weekly limit, approval) answer 4xx
 * with what to do and hold nothing; check-in by code; cancellation frees the slot.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signToken } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { dayStart, WEEKLY_LIMIT } from './booking.policy.ts';
import { shanghaiDay } from '../../platform/clock.ts';
import { caller, extraResident, type HallWorld, seedHallWorld } from './hall.testkit.ts';

const HOUR = 3_600_000;

describeEachDialect('hall space booking', (dialect) => {
  let t: TestApp;
  let w: HallWorld;
  let api: ReturnType<typeof caller>;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    // Start at 09:20 Shanghai tomorrow, so "in 40 minutes" is a real slot inside opening hours.
    const target = dayStart(shanghaiDay(t.clock.now() + 24 * HOUR)) + 9 * HOUR + 20 * 60_000;
    t.clock.advance(target - t.clock.now());
    w = await seedHallWorld(t);
    api = caller(t, w);
  });
  afterAll(async () => t?.close());

  /** hh:00 Shanghai, `days` days from now. */
  const at = (days: number, hh: number) =>
    new Date(dayStart(shanghaiDay(t.clock.now() + days * 24 * HOUR)) + hh * HOUR).toISOString();
  const book = (who: Parameters<typeof api>[0], spaceId: string, start: string, partySize = 2) =>
    api(who, 'POST', `/me/hall-spaces/${spaceId}/bookings`, { start, partySize, purpose: '下棋' });

  it('20 parallel bookings of one slot: exactly its capacity succeed', async () => {
    const people = await Promise.all(
      Array.from({ length: 20 }, (_, i) => extraResident(t, w, 100 + i)),
    );
    const start = at(2, 10);
    const results = await Promise.all(people.map((p) => book(p, w.tables, start)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(4);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(refused).toHaveLength(16);
    expect(refused[0]!.json().error.message).toMatch(/已约满/);
    const rows = await t.database.db
      .selectFrom('hall_bookings')
      .selectAll()
      .where('slot_start', '=', start)
      .execute();
    expect(rows).toHaveLength(4);
    const day = await api(
      'hallStaff1',
      'GET',
      `/halls/${w.hall1}/bookings?day=${shanghaiDay(Date.parse(start))}`,
    );
    expect(day.json().bookings).toHaveLength(4);
    expect(day.json().bookings.every((b: { checkinCode: unknown }) => b.checkinCode === null)).toBe(
      true,
    );
    const slot = day
      .json()
      .spaces.find((s: { id: string }) => s.id === w.tables)
      .slots.find((s: { start: string }) => s.start === start);
    expect(slot.free).toBe(0);
    expect(slot.bookable).toBe(false);
    // What a resident sees: full, past and too-soon slots are not bookable; a free later one is.
    const mine = (d: number) =>
      api(
        'residentA',
        'GET',
        `/me/halls/${w.hall1}/spaces?day=${shanghaiDay(t.clock.now() + d * 24 * HOUR)}`,
      )
        .then((r) => r.json().find((s: { id: string }) => s.id === w.tables).slots)
        .then((slots: { start: string; free: number; bookable: boolean }[]) =>
          Object.fromEntries(slots.map((s) => [s.start, s.bookable])),
        );
    expect((await mine(2))[start]).toBe(false);
    expect((await mine(2))[at(2, 11)]).toBe(true);
    const today = await mine(0);
    const now = t.clock.now();
    for (const [s, ok] of Object.entries(today)) expect(ok, s).toBe(Date.parse(s) >= now + HOUR);
    expect((await mine(20))[at(20, 10)]).toBe(false); // beyond the 14 days
  });

  it('the rules: past, short notice, outside hours, off the grid, too many people → 400 and nothing held', async () => {
    const before = (await t.database.db.selectFrom('hall_bookings').select('id').execute()).length;
    const past = await book('residentA', w.tables, new Date(t.clock.now() - HOUR).toISOString());
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toMatch(/过去/);
    const soon = await book('residentA', w.tables, at(0, 10));
    expect(soon.json().error.message).toMatch(/至少提前 60 分钟/);
    expect((await book('residentA', w.tables, at(1, 22))).json().error.message).toMatch(/开放时间/);
    expect(
      (await book('residentA', w.tables, at(1, 10).replace(':00:00', ':30:00'))).statusCode,
    ).toBe(400);
    expect((await book('residentA', w.tables, at(30, 10))).statusCode).toBe(400);
    const crowd = await book('residentA', w.tables, at(1, 10), 7);
    expect(crowd.json().error.message).toMatch(/最多容纳 6 人/);
    expect((await book('residentA', w.tables, at(1, 10), 0)).statusCode).toBe(400);
    expect((await book('residentC', w.tables, at(1, 10))).statusCode).toBe(404);
    expect((await t.database.db.selectFrom('hall_bookings').select('id').execute()).length).toBe(
      before,
    );
  });

  it('a weekly limit per resident; cancelling gives the booking back', async () => {
    const me = await extraResident(t, w, 200);
    const made: { id: string }[] = [];
    for (let h = 0; h < WEEKLY_LIMIT; h++) {
      const r = await book(me, w.tables, at(7, 10 + h));
      expect(r.statusCode, r.body).toBe(201);
      made.push(r.json());
    }
    const over = await book(me, w.tables, at(7, 15));
    expect(over.statusCode).toBe(409);
    expect(over.json().error.message).toMatch(/每周最多预约/);
    expect(
      (await api('residentA', 'POST', `/me/hall-bookings/${made[0]!.id}/cancel`)).statusCode,
    ).toBe(404);
    const c = await api(me, 'POST', `/me/hall-bookings/${made[0]!.id}/cancel`);
    expect(c.json().status).toBe('cancelled');
    expect((await book(me, w.tables, at(7, 15))).statusCode).toBe(201);
    const mine = (await api(me, 'GET', '/me/hall-bookings')).json();
    expect(mine.filter((b: { status: string }) => b.status !== 'cancelled')).toHaveLength(
      WEEKLY_LIMIT,
    );
    expect(
      (await api('residentA', 'GET', '/me/hall-bookings'))
        .json()
        .some((b: { id: string }) => b.id === made[1]!.id),
    ).toBe(false);
  });

  it('a big meeting waits for approval; staff check residents in with the code', async () => {
    const start = at(1, 13);
    const big = await book('residentB', w.room, start, 15);
    expect(big.json(), big.body).toMatchObject({ status: 'pending_approval' });
    expect((await book('residentA', w.room, start, 3)).statusCode).toBe(409);
    const ok = await api(
      'hallStaff1',
      'POST',
      `/halls/${w.hall1}/bookings/${big.json().id}/approve`,
    );
    expect(ok.json().status).toBe('confirmed');
    expect(
      (
        await api('hallStaff1', 'POST', `/halls/${w.hall1}/bookings/check-in`, {
          code: big.json().checkinCode,
        })
      ).statusCode,
    ).toBe(404);
    t.clock.advance(Date.parse(start) - t.clock.now() - 10 * 60_000);
    const staff = { authorization: `Bearer ${await signToken(t, w.users.hallStaff1.id)}` };
    const inn = await api(staff, 'POST', `/halls/${w.hall1}/bookings/check-in`, {
      code: big.json().checkinCode,
    });
    expect(inn.json().status).toBe('checked_in');
    expect(
      (await api(staff, 'POST', `/halls/${w.hall2}/bookings/check-in`, { code: '123456' }))
        .statusCode,
    ).toBe(404);
  });
});
