/**
 * The payment seam: a provider's callback is verified over its exact body, recorded once
 * (10 replays, in parallel, settle once), and refused when tampered with, unsigned, or for
 * an amount that is not the order's.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { type HallWorld, seedHallWorld } from './hall.testkit.ts';
import { createOrder } from './order.service.ts';
import { LocalPaymentProvider, paymentProvider } from '../../platform/payment/payment.port.ts';

describeEachDialect('hall payment callbacks', (dialect) => {
  let t: TestApp;
  let w: HallWorld;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedHallWorld(t);
  });
  afterAll(async () => t?.close());

  /** An order awaiting payment, as a real provider would leave it until its notification. */
  const pending = () =>
    t.database.db.transaction().execute((trx) =>
      createOrder(trx, t.deps, {
        hallId: w.hall1,
        communityId: w.community1,
        userId: w.users.residentA.id,
        unitId: w.unitA,
        fulfilment: 'pickup',
        lines: [{ itemId: w.fruit.id, quantity: 2, priceFen: w.fruit.priceFen }],
      }),
    );
  const local = () => paymentProvider(t.deps.config) as LocalPaymentProvider;
  const post = (body: string, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/local/callback',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-antnest-signature': signature } : {}),
      },
      payload: body,
    });
  const callbackFor = (paymentId: string, amountFen: number, eventId = `evt-${paymentId}`) =>
    JSON.stringify({
      eventId,
      paymentId,
      providerRef: `local-${paymentId}`,
      amountFen,
      status: 'paid',
    });
  const orderStatus = async (id: string) =>
    await t.database.db
      .selectFrom('hall_orders')
      .select(['status', 'paid_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('a callback replayed 10 times (in parallel) settles once', async () => {
    const { order, payment } = await pending();
    const body = callbackFor(payment.id, 1000);
    const sig = local().sign(body);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, sig)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.json().result === 'settled')).toHaveLength(1);
    expect(answers.filter((a) => a.json().result === 'replay')).toHaveLength(9);
    expect((await orderStatus(order.id)).status).toBe('paid');
    const events = await t.database.db
      .selectFrom('hall_payment_events')
      .selectAll()
      .where('payment_id', '=', payment.id)
      .execute();
    expect(events).toHaveLength(1);
    // A different event id for an already settled payment changes nothing either.
    const other = callbackFor(payment.id, 1000, 'evt-other');
    expect((await post(other, local().sign(other))).json().result).toBe('replay');
  });

  it('a tampered, unsigned or foreign-signed callback is refused and changes nothing', async () => {
    const { order, payment } = await pending();
    const body = callbackFor(payment.id, 1000);
    const sig = local().sign(body);
    const tampered = body.replace('"amountFen":1000', '"amountFen":1');
    expect((await post(tampered, sig)).statusCode).toBe(401);
    expect((await post(body)).statusCode).toBe(401);
    const stranger = new LocalPaymentProvider(Buffer.alloc(32, 1));
    const r = await post(body, stranger.sign(body));
    expect(r.statusCode).toBe(401);
    expect(r.json().error.message).toMatch(/签名无效/);
    expect((await orderStatus(order.id)).status).toBe('awaiting_payment');
    // Correctly signed but for another amount than the order's: refused, nothing recorded.
    const wrong = callbackFor(payment.id, 999);
    const w2 = await post(wrong, local().sign(wrong));
    expect(w2.statusCode).toBe(400);
    expect((await orderStatus(order.id)).status).toBe('awaiting_payment');
    expect((await post(body, sig)).json().result).toBe('settled');
    expect((await orderStatus(order.id)).status).toBe('paid');
  });

  it('a payment arriving after the order expired is refunded in full at once', async () => {
    const { order, payment } = await pending();
    t.clock.advance(16 * 60_000);
    const { sweepHall } = await import('./hall-sweep.service.ts');
    expect((await sweepHall(t.deps)).released).toBeGreaterThanOrEqual(1);
    expect((await orderStatus(order.id)).status).toBe('cancelled');
    const body = callbackFor(payment.id, 1000);
    expect((await post(body, local().sign(body))).json().result).toBe('settled');
    const o = await t.database.db
      .selectFrom('hall_orders')
      .selectAll()
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(o).toMatchObject({ status: 'cancelled', refunded_fen: 1000 });
  });
});
