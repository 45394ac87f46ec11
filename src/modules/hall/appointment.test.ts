/**
 * Services by appointment (issue 15): the slot picker, no overbooking under 20 parallel
 * orders, past and off-hours slots refused with nothing written, cancellation freeing the
 * slot, and the console's day view showing only what staff need.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { iso } from '../../platform/clock.ts';
import { dayStart } from './booking.policy.ts';
import { shanghaiDay } from '../../platform/clock.ts';
import { caller, extraResident, type HallWorld, seedHallWorld } from './hall.testkit.ts';

const HOUR = 3_600_000;
const CAPACITY = 3;

describeEachDialect('hall service appointments', (dialect) => {
  let t: TestApp;
  let w: HallWorld;
  let api: ReturnType<typeof caller>;
  let day: string;
  const at = (hour: number) => iso(dayStart(day) + hour * HOUR);
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedHallWorld(t);
    api = caller(t, w);
    day = shanghaiDay(t.clock.now() + 24 * HOUR);
    const r = await api('hallStaff1', 'PATCH', `/halls/${w.hall1}/items/${w.service.id}`, {
      appointment: { slotMinutes: 60, capacity: CAPACITY, hours: '09:00-17:00', atHome: true },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().appointment).toMatchObject({ slotMinutes: 60, capacity: CAPACITY });
  });
  afterAll(async () => t?.close());

  const count = async (table: 'hall_orders' | 'hall_appointments' | 'hall_payments') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const order = (who: Parameters<typeof api>[0], slotStart?: string, quantity = 1) =>
    api(who, 'POST', `/me/halls/${w.hall1}/orders`, {
      fulfilment: 'pickup',
      note: '3 楼 302',
      lines: [
        {
          itemId: w.service.id,
          quantity,
          priceFen: w.service.priceFen,
          ...(slotStart ? { slotStart } : {}),
        },
      ],
    });
  const slotsOf = async (d = day) =>
    (
      await api('residentA', 'GET', `/me/halls/${w.hall1}/services/${w.service.id}/slots?day=${d}`)
    ).json();

  it('lists the day slots of a service within its own hours, with their free places', async () => {
    const s = await slotsOf();
    expect(s).toMatchObject({
      hours: '09:00-17:00',
      slotMinutes: 60,
      capacity: CAPACITY,
      atHome: true,
    });
    expect(s.slots).toHaveLength(8);
    expect(s.slots[0]).toMatchObject({ start: at(9), free: CAPACITY, open: true });
    // A resident of another community does not see the hall; a product has no slots.
    const other = await api(
      'residentC',
      'GET',
      `/me/halls/${w.hall1}/services/${w.service.id}/slots`,
    );
    expect(other.statusCode).toBe(404);
    const product = await api(
      'residentA',
      'GET',
      `/me/halls/${w.hall1}/services/${w.fruit.id}/slots`,
    );
    expect(product.statusCode).toBe(400);
  });

  it('20 parallel orders for one slot: exactly its capacity succeed', async () => {
    const residents = await Promise.all(
      Array.from({ length: 20 }, (_, i) => extraResident(t, w, 300 + i)),
    );
    const before = await count('hall_orders');
    const results = await Promise.all(residents.map((r) => order(r, at(10))));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(CAPACITY);
    expect(codes.filter((c) => c === 409)).toHaveLength(20 - CAPACITY);
    expect(results.find((r) => r.statusCode === 409)!.json().error.message).toMatch(/已约满/);
    expect(await count('hall_orders')).toBe(before + CAPACITY);
    const booked = await t.database.db
      .selectFrom('hall_appointments')
      .select('id')
      .where('slot_start', '=', at(10))
      .where('status', '=', 'booked')
      .execute();
    expect(booked).toHaveLength(CAPACITY);
    expect((await slotsOf()).slots[1]).toMatchObject({ start: at(10), free: 0 });
    const ok = results.find((r) => r.statusCode === 201)!.json();
    expect(ok.lines[0].appointment).toMatchObject({
      start: at(10),
      atHome: true,
      status: 'booked',
    });
  });

  it('refuses a missing, past, off-hours or off-grid slot and a too-large party, writing nothing', async () => {
    const before = [
      await count('hall_orders'),
      await count('hall_appointments'),
      await count('hall_payments'),
    ];
    const cases: [string | undefined, RegExp, number?][] = [
      [undefined, /请先选择日期和时段/],
      [iso(t.clock.now() - HOUR), /已经过去/],
      [at(8), /09:00-17:00/],
      [at(17), /09:00-17:00/],
      [iso(dayStart(day) + 10.25 * HOUR), /每 60 分钟一个时段/],
      [iso(t.clock.now() + 30 * 24 * HOUR), /14 天/],
      [at(11), /每个时段最多预约 3/, 4],
    ];
    for (const [slot, message, quantity] of cases) {
      const r = await order('residentA', slot, quantity);
      expect(r.statusCode, `${slot} ${r.body}`).toBe(400);
      expect(r.json().error.message).toMatch(message);
    }
    const product = await api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, {
      fulfilment: 'pickup',
      lines: [{ itemId: w.fruit.id, quantity: 1, priceFen: w.fruit.priceFen, slotStart: at(11) }],
    });
    expect(product.statusCode).toBe(400);
    expect(product.json().error.message).toMatch(/无需预约时段/);
    expect([
      await count('hall_orders'),
      await count('hall_appointments'),
      await count('hall_payments'),
    ]).toEqual(before);
    expect((await slotsOf()).slots[2]).toMatchObject({ start: at(11), free: CAPACITY });
  });

  it('cancelling the order frees its place in the slot (and refunds it)', async () => {
    const r = await order('residentA', at(12), 2);
    expect(r.statusCode, r.body).toBe(201);
    expect((await slotsOf()).slots[3]).toMatchObject({ free: CAPACITY - 2 });
    const c = await api('residentA', 'POST', `/me/hall-orders/${r.json().id}/cancel`, {});
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().lines[0].appointment.status).toBe('cancelled');
    expect(c.json().refundedFen).toBe(2 * w.service.priceFen);
    expect((await slotsOf()).slots[3]).toMatchObject({ free: CAPACITY });
    expect((await order('residentA', at(12), CAPACITY)).statusCode).toBe(201);
  });

  it("the console's day view shows the day's appointments with the unit of a home visit, nothing personal", async () => {
    const r = await api('hallStaff1', 'GET', `/halls/${w.hall1}/appointments?day=${day}`);
    expect(r.statusCode, r.body).toBe(200);
    const list = r.json().appointments as Record<string, unknown>[];
    expect(list.map((a) => a.start)).toEqual([...Array(CAPACITY).fill(at(10)), at(12)]);
    expect(list[0]).toMatchObject({ service: '家政保洁 2 小时', note: '3 楼 302', places: 1 });
    expect(list[0]!.where).toMatch(/单元/);
    expect(JSON.stringify(list)).not.toMatch(/1590000|居民|userId|phone/);
    expect((await api('hallStaff1', 'GET', `/halls/${w.hall2}/appointments`)).statusCode).toBe(404);
    expect((await api('residentA', 'GET', `/halls/${w.hall1}/appointments`)).statusCode).toBe(403);
    const bad = await api('hallStaff1', 'GET', `/halls/${w.hall1}/appointments?day=tomorrow`);
    expect(bad.statusCode).toBe(400);
  });

  it('hall staff set appointment settings only on services, with valid hours', async () => {
    const onProduct = await api('hallStaff1', 'PATCH', `/halls/${w.hall1}/items/${w.fruit.id}`, {
      appointment: { slotMinutes: 60, capacity: 1, hours: null, atHome: false },
    });
    expect(onProduct.statusCode).toBe(400);
    const badHours = await api('hallStaff1', 'PATCH', `/halls/${w.hall1}/items/${w.service.id}`, {
      appointment: { slotMinutes: 60, capacity: 1, hours: '18:00-09:00', atHome: false },
    });
    expect(badHours.statusCode).toBe(400);
    expect(badHours.json().error.message).toMatch(/08:30-17:00/);
  });
});
