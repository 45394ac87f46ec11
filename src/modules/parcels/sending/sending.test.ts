/**
 * Sending with an address, a quote and payment (issue 20): quote → order → pay → the
 * compartment opens → dropped → the carrier's courier sees it masked and collects it; a
 * rejected parcel is refunded, stays out of the courier's hands and opens for its sender.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import { activeLocker, auth } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { lockerTopic } from '../../../contract/index.ts';
import { cryptoRandom, iso, newId } from '../../../platform/clock.ts';
import { paymentProvider } from '../../../platform/payment/payment.port.ts';
import { ingest } from '../../lockers/index.ts';
import { insertCarriers } from '../../places/index.ts';
import * as parcels from '../core/parcel.repository.ts';
import { storeParcel } from '../deposit/store.service.ts';
import { parcelHooks } from '../locker/parcel.hooks.ts';
import { collectOutgoing } from '../outgoing/outgoing.service.ts';

const L = 'send-0001';

describeEachDialect('sending with a quote and payment', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await activeLocker(t, w, L, '寄件柜', 24);
  });

  const api = (
    who: Parameters<typeof auth>[1],
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });
  const addresses = {
    sender: { name: '王小明', phone: '13800000001', address: '清淳家园1栋1单元302' },
    recipient: {
      name: '李四',
      phone: '13912345678',
      province: '四川省',
      city: '成都市',
      district: '武侯区',
      address: '科华北路65号6栋1201',
    },
  };

  /** Quote, order and pay as residentA; answers the paid order. */
  async function paidOrder(weightBand = '1-3kg', size = 'M') {
    const q = await api('residentA', 'POST', '/me/sending/quotes', {
      carrierId: w.carrier,
      weightBand,
      size,
      ...addresses,
    });
    expect(q.statusCode).toBe(201);
    const o = await api('residentA', 'POST', '/me/sending/orders', {
      quoteId: q.json().quoteId,
      lockerId: L,
    });
    expect(o.statusCode).toBe(201);
    expect(o.json()).toMatchObject({ status: 'awaiting_payment', payment: { status: 'pending' } });
    const paid = await api('residentA', 'POST', `/me/sending/orders/${o.json().id}/pay`);
    expect(paid.statusCode).toBe(200);
    return { quote: q.json(), order: paid.json() };
  }

  /** The door closes on the parcel: it is in the locker. */
  async function drop(parcelId: string) {
    const p = (await parcels.findParcel(t.database.db, parcelId))!;
    expect(await storeParcel(t.database.db, t.deps, p, 'api')).toBe(true);
  }

  async function parcelOf(orderId: string) {
    const row = await t.database.db
      .selectFrom('sending_orders')
      .select('parcel_id')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    return (await parcels.findParcel(t.database.db, row.parcel_id!))!;
  }

  it('keeps the tariff table for operator admins; residents read it', async () => {
    for (const [band, size, fen] of [
      ['0-1kg', 'S', 800],
      ['1-3kg', 'M', 1200],
      ['3-5kg', 'L', 1800],
    ] as const) {
      const r = await api('admin', 'PUT', '/sending/tariffs', {
        carrierId: w.carrier,
        weightBand: band,
        size,
        priceFen: fen,
      });
      expect(r.statusCode).toBe(200);
    }
    await api('admin', 'PUT', '/sending/tariffs', {
      carrierId: w.carrier,
      weightBand: '1-3kg',
      size: 'M',
      priceFen: 1300,
    });
    expect(
      (
        await api('residentA', 'PUT', '/sending/tariffs', {
          carrierId: w.carrier,
          weightBand: '1-3kg',
          size: 'M',
          priceFen: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect((await api('courier', 'GET', '/sending/tariffs')).statusCode).toBe(403);
    // A takeout platform collects no parcels: no sending price for it.
    const meals = newId(t.clock, cryptoRandom);
    await insertCarriers(t.database.db, {
      id: meals,
      code: `meals-${meals.slice(-6)}`,
      name: '美团外卖',
      kind: 'takeout',
      created_at: iso(t.clock.now()),
    });
    const takeout = await api('admin', 'PUT', '/sending/tariffs', {
      carrierId: meals,
      weightBand: '1-3kg',
      size: 'M',
      priceFen: 100,
    });
    expect(takeout.statusCode).toBe(400);
    expect(takeout.json().error.message).toContain('takeout platform');
    const table = (await api('residentA', 'GET', '/me/sending/tariffs')).json();
    expect(table.carriers).toEqual([
      {
        carrierId: w.carrier,
        carrierName: expect.any(String),
        prices: [
          { weightBand: '0-1kg', size: 'S', priceFen: 800 },
          { weightBand: '1-3kg', size: 'M', priceFen: 1300 },
          { weightBand: '3-5kg', size: 'L', priceFen: 1800 },
        ],
      },
    ]);
    expect(
      (
        await api(
          'admin',
          'DELETE',
          `/sending/tariffs?carrierId=${w.carrier}&weightBand=3-5kg&size=L`,
        )
      ).json().carriers[0].prices,
    ).toHaveLength(2);
  });

  it('refuses a band the carrier does not price and a bad phone, with a 400 that says why', async () => {
    const r = await api('residentA', 'POST', '/me/sending/quotes', {
      carrierId: w.carrier,
      weightBand: '5-10kg',
      size: 'XL',
      ...addresses,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/no price for 5-10kg/);
    const bad = await api('residentA', 'POST', '/me/sending/quotes', {
      carrierId: w.carrier,
      weightBand: '1-3kg',
      size: 'M',
      ...addresses,
      recipient: { ...addresses.recipient, phone: '12345' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/recipient's phone/);
  });

  it('quote → pay → open → dropped → collected, the courier seeing masked people and no flat', async () => {
    const { quote, order } = await paidOrder();
    expect(quote).toMatchObject({ priceFen: 1300, breakdown: [{ amountFen: 1300 }] });
    expect(order).toMatchObject({
      status: 'awaiting_drop',
      priceFen: 1300,
      compartment: expect.any(Number),
      sender: addresses.sender,
      recipient: addresses.recipient,
      payment: { provider: 'local', status: 'paid', amountFen: 1300 },
    });
    // The quote made one order only.
    const again = await api('residentA', 'POST', '/me/sending/orders', {
      quoteId: quote.quoteId,
      lockerId: L,
    });
    expect(again.statusCode).toBe(409);
    // Nobody else sees the order.
    expect((await api('residentB', 'GET', `/me/sending/orders/${order.id}`)).statusCode).toBe(404);

    const parcel = await parcelOf(order.id);
    expect(parcel).toMatchObject({ kind: 'outgoing', status: 'reserved', carrier_id: w.carrier });
    await drop(parcel.id);
    expect((await api('residentA', 'GET', `/me/sending/orders/${order.id}`)).json().status).toBe(
      'in_locker',
    );

    const list = await api('courier', 'GET', '/courier/sending/orders');
    expect(list.json()).toEqual([
      {
        orderId: order.id,
        parcelId: parcel.id,
        lockerId: L,
        lockerName: '寄件柜',
        address: '清淳家园1栋1单元门口',
        compartment: parcel.compartment,
        size: 'M',
        weightBand: '1-3kg',
        status: 'in_locker',
        sender: { name: '王**', phone: '138****0001' },
        recipient: { name: '李*', phone: '139****5678', region: '四川省成都市武侯区' },
      },
    ]);
    expect(list.body).not.toMatch(/单元302|6栋1201|13800000001|13912345678|科华北路/);

    const cmd = await collectOutgoing(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      parcel.id,
    );
    await ingest(
      t.deps,
      parcelHooks(t.deps, () => {}),
      lockerTopic(L, 'res'),
      Buffer.from(
        JSON.stringify({
          messageId: newId(t.clock, cryptoRandom),
          lockerId: L,
          sentAt: iso(t.clock.now()),
          commandId: cmd.id,
          commandType: 'open',
          status: 'opened',
          compartment: parcel.compartment,
        }),
      ),
    );
    const mine = (await api('residentA', 'GET', '/me/sending/orders')).json();
    expect(mine.find((o: { id: string }) => o.id === order.id).status).toBe('collected');
    expect((await api('courier', 'GET', '/courier/sending/orders')).json()).toEqual([]);
  });

  it('refunds a rejected parcel, keeps it from the courier and opens it for its sender', async () => {
    const refunds = vi.spyOn(paymentProvider(t.deps.config), 'refund');
    try {
      const { order } = await paidOrder('0-1kg', 'S');
      const parcel = await parcelOf(order.id);
      // Not in the locker yet: nothing to reject.
      const early = await api('courier', 'POST', `/courier/sending/orders/${order.id}/reject`, {
        reason: '内含液体',
      });
      expect(early.statusCode).toBe(409);
      await drop(parcel.id);
      expect(
        (
          await api('residentA', 'POST', `/courier/sending/orders/${order.id}/reject`, {
            reason: 'x',
          })
        ).statusCode,
      ).toBe(403);
      const r = await api('courier', 'POST', `/courier/sending/orders/${order.id}/reject`, {
        reason: '内含液体，无法承运',
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ orderId: order.id, status: 'refunded' });
      expect(refunds).toHaveBeenCalledTimes(1);
      expect(refunds.mock.calls[0]![0]).toMatchObject({ paymentId: order.id, amountFen: 800 });
      const twice = await api('courier', 'POST', `/courier/sending/orders/${order.id}/reject`, {
        reason: 'again',
      });
      expect(twice.statusCode).toBe(409);
      expect(refunds).toHaveBeenCalledTimes(1);

      const seen = (await api('residentA', 'GET', `/me/sending/orders/${order.id}`)).json();
      expect(seen).toMatchObject({
        status: 'refunded',
        rejectReason: '内含液体，无法承运',
        payment: { status: 'refunded', refundedAt: expect.any(String) },
      });
      expect((await api('courier', 'GET', '/courier/sending/orders')).json()).toEqual([]);
      // Nor in the carrier's list of parcels to collect (it would only answer 404 there).
      const toCollect = (await api('courier', 'GET', '/courier/outgoing')).json() as {
        parcelId: string;
      }[];
      expect(toCollect.map((o) => o.parcelId)).not.toContain(parcel.id);
      await expect(
        collectOutgoing(t.deps, { userId: w.users.courier.id, carrierId: w.carrier }, parcel.id),
      ).rejects.toMatchObject({ code: 'not_found' });
      expect(
        (await api('residentB', 'POST', `/me/sending/orders/${order.id}/retrieve`)).statusCode,
      ).toBe(404);
      const back = await api('residentA', 'POST', `/me/sending/orders/${order.id}/retrieve`);
      expect(back.statusCode).toBe(202);
      expect(back.json()).toMatchObject({ lockerId: L });
    } finally {
      refunds.mockRestore();
    }
  });

  it('ignores a replayed payment callback and refuses a forged one', async () => {
    const provider = paymentProvider(t.deps.config);
    const starts = vi.spyOn(provider, 'start');
    try {
      const { order } = await paidOrder('0-1kg', 'S');
      const cb = (await starts.mock.results[0]!.value).callback!;
      const replay = await t.app.inject({
        method: 'POST',
        url: '/api/v1/payments/local/sending-callback',
        headers: { 'content-type': 'application/json', 'x-antnest-signature': cb.signature },
        payload: cb.body,
      });
      expect(replay.json()).toEqual({ result: 'replay' });
      const forged = await t.app.inject({
        method: 'POST',
        url: '/api/v1/payments/local/sending-callback',
        headers: { 'content-type': 'application/json', 'x-antnest-signature': '0'.repeat(64) },
        payload: cb.body,
      });
      expect(forged.statusCode).toBe(401);
      const parcelsOfOrder = await t.database.db
        .selectFrom('parcels')
        .select('id')
        .where('depositor_id', '=', w.users.residentA.id)
        .where('status', '=', 'reserved')
        .execute();
      expect(parcelsOfOrder.map((p) => p.id)).toContain((await parcelOf(order.id)).id);
      expect(parcelsOfOrder).toHaveLength(1);
    } finally {
      starts.mockRestore();
    }
  });
});
