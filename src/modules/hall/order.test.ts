/**
 * Orders end to end through the API: catalogue → cart → order paid through the local
 * provider → delivered into the unit's locker through the parcel flow; stock never
 * negative under 50 parallel orders; prices changed since the cart; cancellations and
 * refunds; bad input; residents and hall staff see only their own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { verifyLedger } from '../ledger/index.ts';
import { caller, extraResident, type HallWorld, seedHallWorld } from './hall.testkit.ts';

const L = 'hall-0001';

describeEachDialect('hall orders', (dialect) => {
  let t: TestApp;
  let w: HallWorld;
  let api: ReturnType<typeof caller>;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedHallWorld(t);
    await activeLocker(t, w, L, '1单元柜', 24);
    api = caller(t, w);
  });
  afterAll(async () => t?.close());

  const count = async (table: 'hall_orders' | 'hall_payments' | 'hall_refunds') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stock = async (id: string) =>
    (
      await t.database.db
        .selectFrom('hall_items')
        .select('stock')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).stock;

  it('a resident sees the hall of their community with its catalogue; others do not', async () => {
    const halls = await api('residentA', 'GET', '/me/halls');
    expect(halls.statusCode).toBe(200);
    expect(halls.json().map((h: { id: string }) => h.id)).toEqual([w.hall1]);
    const cat = await api('residentA', 'GET', `/me/halls/${w.hall1}/catalogue`);
    expect(cat.json().items.map((i: { name: string }) => i.name)).toContain('爱媛果冻橙');
    expect(cat.json().categories.length).toBeGreaterThanOrEqual(10);
    expect((await api('residentC', 'GET', `/me/halls/${w.hall1}/catalogue`)).statusCode).toBe(404);
    expect((await api('hallStaff1', 'GET', `/halls/${w.hall2}/catalogue`)).statusCode).toBe(404);
  });

  it('orders into the unit locker: paid at once, staff deposit it through the parcel flow, the resident is told', async () => {
    const r = await api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, {
      fulfilment: 'locker',
      lines: [{ itemId: w.fruit.id, quantity: 2, priceFen: w.fruit.priceFen }],
    });
    expect(r.statusCode, r.body).toBe(201);
    const order = r.json();
    expect(order).toMatchObject({ status: 'paid', totalFen: 1000, fulfilment: 'locker' });
    expect(await stock(w.fruit.id)).toBe(8);
    // Other residents and other halls' staff do not see it.
    expect((await api('residentB', 'GET', `/me/hall-orders/${order.id}`)).statusCode).toBe(404);
    expect((await api('residentB', 'GET', '/me/hall-orders')).json()).toEqual([]);
    const todo = await api('hallStaff1', 'GET', `/halls/${w.hall1}/orders`);
    expect(todo.json().map((o: { id: string }) => o.id)).toContain(order.id);
    const d = await api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${order.id}/deliver`, {
      size: 'M',
    });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({
      status: 'in_locker',
      parcel: { status: 'reserved', lockerId: L },
    });
    // A second click answers with the same parcel (the deposit's key is the order's).
    const again = await api(
      'hallStaff1',
      'POST',
      `/halls/${w.hall1}/orders/${order.id}/deliver`,
      {},
    );
    expect(again.json().parcel.id).toBe(d.json().parcel.id);
    const parcel = await t.database.db
      .selectFrom('parcels')
      .selectAll()
      .where('id', '=', d.json().parcel.id)
      .executeTakeFirstOrThrow();
    expect(parcel).toMatchObject({
      waybill: `HALL-${order.code}`,
      recipient_user_id: w.users.residentA.id,
      kind: 'delivery',
    });
    expect((await api('residentA', 'GET', '/me/hall-orders')).json()[0].parcel.id).toBe(parcel.id);
    // The hall's sweep leaves it in the locker until the resident takes it out, then completes it.
    const { sweepHall } = await import('./hall-sweep.service.ts');
    expect((await sweepHall(t.deps)).collected).toBe(0);
    expect((await api('residentA', 'GET', `/me/hall-orders/${order.id}`)).json().status).toBe(
      'in_locker',
    );
    const pickedUp = (id: string) =>
      t.database.db
        .updateTable('parcels')
        .set({ status: 'picked_up', picked_up_at: new Date().toISOString() })
        .where('id', '=', id)
        .execute();
    // A later order collected first: the earlier one still in its locker does not hide it,
    // however small the sweep's page.
    const second = await api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, {
      fulfilment: 'locker',
      lines: [{ itemId: w.fruit.id, quantity: 1, priceFen: w.fruit.priceFen }],
    });
    const secondParcel = (
      await api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${second.json().id}/deliver`, {
        size: 'M',
      })
    ).json().parcel.id as string;
    await pickedUp(secondParcel);
    const { completeCollectedOrders } = await import('./order-delivery.service.ts');
    expect(await completeCollectedOrders(t.deps, 1)).toBe(1);
    expect((await api('residentA', 'GET', `/me/hall-orders/${order.id}`)).json().status).toBe(
      'in_locker',
    );
    await pickedUp(parcel.id);
    expect((await sweepHall(t.deps)).collected).toBe(1);
    expect((await api('residentA', 'GET', `/me/hall-orders/${order.id}`)).json()).toMatchObject({
      status: 'completed',
      parcel: { status: 'picked_up' },
    });
    expect((await sweepHall(t.deps)).collected).toBe(0);
    expect(
      (await api('hallStaff1', 'GET', `/halls/${w.hall1}/orders`))
        .json()
        .map((o: { id: string }) => o.id),
    ).not.toContain(order.id);
  });

  it('a locker delivery that did not end stored (door jammed, shut empty) is delivered again as a new parcel; one in progress is not', async () => {
    const o = (
      await api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, {
        fulfilment: 'locker',
        lines: [{ itemId: w.fruit.id, quantity: 1, priceFen: w.fruit.priceFen }],
      })
    ).json();
    const deliver = () =>
      api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${o.id}/deliver`, { size: 'M' });
    const first = (await deliver()).json().parcel.id as string;
    // In progress (reserved): a second click answers with the same parcel.
    expect((await deliver()).json().parcel.id).toBe(first);
    await t.database.db
      .updateTable('parcels')
      .set({ status: 'cancelled' })
      .where('id', '=', first)
      .execute();
    const again = await deliver();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'in_locker', parcel: { status: 'reserved' } });
    const second = again.json().parcel.id as string;
    expect(second).not.toBe(first);
    // Its retry is idempotent too: the same new parcel, no third.
    expect((await deliver()).json().parcel.id).toBe(second);
    const parcels = await t.database.db
      .selectFrom('parcels')
      .select(['id', 'status'])
      .where('waybill', '=', `HALL-${o.code}`)
      .execute();
    expect(parcels.map((p) => p.status).sort()).toEqual(['cancelled', 'reserved']);
  });

  it('50 parallel orders for 10 in stock: exactly as many succeed as there is stock, never below 0', async () => {
    await api('hallStaff1', 'PATCH', `/halls/${w.hall1}/items/${w.fruit.id}`, { stock: 10 });
    const residents = await Promise.all(
      Array.from({ length: 10 }, (_, i) => extraResident(t, w, i)),
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api(residents[i % 10]!, 'POST', `/me/halls/${w.hall1}/orders`, {
          fulfilment: 'pickup',
          lines: [{ itemId: w.fruit.id, quantity: 1, priceFen: w.fruit.priceFen }],
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(codes.filter((c) => c === 409)).toHaveLength(40);
    expect(results.find((r) => r.statusCode === 409)!.json().error.message).toMatch(/库存不足/);
    expect(await stock(w.fruit.id)).toBe(0);
    const alerts = await api('hallStaff1', 'GET', `/halls/${w.hall1}/stock-alerts`);
    expect(alerts.json().map((a: { id: string }) => a.id)).toContain(w.fruit.id);
  });

  it('a price changed since the cart is a 409 naming the new price, and nothing is written', async () => {
    await api('hallStaff1', 'PATCH', `/halls/${w.hall1}/items/${w.fruit.id}`, {
      stock: 5,
      priceFen: 650,
    });
    const before = [await count('hall_orders'), await count('hall_payments')];
    const r = await api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, {
      fulfilment: 'pickup',
      lines: [{ itemId: w.fruit.id, quantity: 1, priceFen: 500 }],
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/价格已变更.*¥6\.50/);
    expect([await count('hall_orders'), await count('hall_payments')]).toEqual(before);
    expect(await stock(w.fruit.id)).toBe(5);
    w.fruit.priceFen = 650;
  });

  it('bad input is a 4xx with a message and writes nothing', async () => {
    const before = await count('hall_orders');
    const order = (lines: object[], fulfilment = 'pickup') =>
      api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, { fulfilment, lines });
    for (const q of [0, -1, 100, 1e9, 1.5])
      expect((await order([{ itemId: w.fruit.id, quantity: q, priceFen: 650 }])).statusCode).toBe(
        400,
      );
    const unknown = await order([
      { itemId: '0190f5c2-dead-7000-8000-00000000beef', quantity: 1, priceFen: 1 },
    ]);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/下架或不存在/);
    const twice = await order([
      { itemId: w.fruit.id, quantity: 1, priceFen: 650 },
      { itemId: w.fruit.id, quantity: 1, priceFen: 650 },
    ]);
    expect(twice.statusCode).toBe(400);
    const tooMany = await order([{ itemId: w.fruit.id, quantity: 6, priceFen: 650 }]);
    expect(tooMany.statusCode).toBe(409);
    const serviceToLocker = await order(
      [{ itemId: w.service.id, quantity: 1, priceFen: 9000 }],
      'locker',
    );
    expect(serviceToLocker.statusCode).toBe(400);
    // Stock taken for the first line is given back when a later line fails.
    const mixed = await order([
      { itemId: w.fruit.id, quantity: 2, priceFen: 650 },
      { itemId: w.service.id, quantity: 1, priceFen: 1 },
    ]);
    expect(mixed.statusCode).toBe(409);
    expect(await stock(w.fruit.id)).toBe(5);
    expect(await count('hall_orders')).toBe(before);
  });

  it('cancelling refunds in full; staff refund part; never more than was paid', async () => {
    const mk = async () =>
      (
        await api('residentA', 'POST', `/me/halls/${w.hall1}/orders`, {
          fulfilment: 'pickup',
          lines: [{ itemId: w.fruit.id, quantity: 2, priceFen: 650 }],
        })
      ).json();
    const a = await mk();
    const c = await api('residentA', 'POST', `/me/hall-orders/${a.id}/cancel`);
    expect(c.json()).toMatchObject({ status: 'cancelled', refundedFen: 1300 });
    expect(await stock(w.fruit.id)).toBe(5);
    expect((await api('residentB', 'POST', `/me/hall-orders/${a.id}/cancel`)).statusCode).toBe(404);
    const b = await mk();
    const part = await api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${b.id}/refunds`, {
      amountFen: 300,
      reason: '一箱有磕碰',
    });
    expect(part.json()).toMatchObject({ status: 'paid', refundedFen: 300 });
    const over = await api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${b.id}/refunds`, {
      amountFen: 1001,
      reason: '超额',
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.message).toMatch(/最多可退 ¥10\.00/);
    const refunds = await t.database.db
      .selectFrom('hall_refunds')
      .select(['amount_fen', 'status'])
      .execute();
    expect(refunds).toEqual(
      expect.arrayContaining([
        { amount_fen: 1300, status: 'done' },
        { amount_fen: 300, status: 'done' },
      ]),
    );
    // Every fen paid and refunded went through the ledger in the same transactions: each
    // order's sale and refunds net to what the resident finally paid, and the journal verifies.
    const entries = await t.database.db
      .selectFrom('ledger_entries')
      .innerJoin('ledger_postings', 'ledger_postings.entry_id', 'ledger_entries.id')
      .select([
        'ledger_entries.id',
        'ledger_entries.kind',
        'ledger_entries.ref_id',
        'amount',
        'account_id',
      ])
      .where('ledger_entries.ref_id', 'in', [a.id, b.id])
      .execute();
    const clearing = (orderId: string) =>
      entries
        .filter((e) => e.ref_id === orderId && e.account_id.startsWith('payment_clearing'))
        .reduce((n, e) => n + e.amount, 0);
    expect(clearing(a.id)).toBe(0); // paid 1300, refunded 1300
    expect(clearing(b.id)).toBe(-1000); // paid 1300, refunded 300
    expect(new Set(entries.filter((e) => e.ref_id === b.id).map((e) => e.kind))).toEqual(
      new Set(['sale', 'refund']),
    );
    expect((await verifyLedger(t.database.db)).problems).toEqual([]);
    const smsBefore = t.sms.sent.length;
    const ready = await api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${b.id}/ready`);
    expect(ready.json().status).toBe('ready');
    // No WeChat grant for order_ready: the resident is told by SMS (ADR 0033).
    expect(t.sms.sent.slice(smsBefore)).toEqual([
      { to: w.users.residentA.phone, text: expect.stringMatching(/订单已备好/) },
    ]);
    expect((await api('residentA', 'POST', `/me/hall-orders/${b.id}/cancel`)).statusCode).toBe(409);
    expect(
      (await api('hallStaff1', 'POST', `/halls/${w.hall1}/orders/${b.id}/complete`)).json().status,
    ).toBe('completed');
  });
});
