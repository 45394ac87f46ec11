/**
 * Sending money in the ledger (issues 17 and 20): a settled payment posts payment clearing →
 * the carrier's payable account in the callback's transaction, a replayed callback posts
 * nothing, a rejection posts the reversing entry; a paid order whose parcel is never dropped
 * is refunded by the sweep exactly once, after the late-deposit window, the sender told. The
 * provider pays a refund back only after the transaction that recorded it committed (never
 * while it holds the ledger), and a provider failure leaves the refund owed for the sweep,
 * paid exactly once. `verifyLedger` passes after each.
 */
import { beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { activeLocker, auth, openedOutcome, signToken } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { lockerTopic } from '../../../contract/index.ts';
import { cryptoRandom, iso, newId } from '../../../platform/clock.ts';
import { paymentProvider } from '../../../platform/payment/payment.port.ts';
import { ingest, updateLocker } from '../../lockers/index.ts';
import { accountBalance, accounts, verifyLedger } from '../../ledger/index.ts';
import * as parcels from '../core/parcel.repository.ts';
import { sweepReservations } from '../deposit/reservation.service.ts';
import { storeParcel } from '../deposit/store.service.ts';
import { LATE_DEPOSIT_MINUTES } from '../locker/fact.hooks.ts';
import { parcelHooks } from '../locker/parcel.hooks.ts';
import { sweepUndroppedOrders } from './sending-refund.service.ts';

const L = 'send-ldg1';

describeEachDialect('sending in the ledger', (dialect) => {
  const { t, w } = useWorld(dialect);
  const api = (
    who: Parameters<typeof auth>[1],
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    await activeLocker(t, w, L, '寄件柜', 24);
    const r = await api('admin', 'PUT', '/sending/tariffs', {
      carrierId: w.carrier,
      weightBand: '1-3kg',
      size: 'M',
      priceFen: 1300,
    });
    expect(r.statusCode).toBe(200);
  });

  // The tests move the clock by hours: each starts with fresh sessions.
  beforeEach(async () => {
    for (const who of ['residentA', 'courier'] as const)
      w.users[who].token = await signToken(t, w.users[who].id);
  });

  const carrier = () => accountBalance(t.database.db, accounts.carrierPayable(w.carrier).id);
  const clearing = () => accountBalance(t.database.db, accounts.paymentClearing().id);
  const entriesOf = (orderId: string) =>
    t.database.db
      .selectFrom('ledger_entries')
      .select(['id', 'kind'])
      .where('ref_kind', '=', 'sending_order')
      .where('ref_id', '=', orderId)
      .orderBy('seq')
      .execute();
  const order = (id: string) =>
    t.database.db
      .selectFrom('sending_orders')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  /** Quote, order and pay as residentA; answers the order and the callback the provider sent. */
  async function pay(before: () => Promise<unknown> = async () => {}, step = 'awaiting_drop') {
    const q = await api('residentA', 'POST', '/me/sending/quotes', {
      carrierId: w.carrier,
      weightBand: '1-3kg',
      size: 'M',
      sender: { name: '王小明', phone: '13800000001', address: '清淳家园1栋1单元302' },
      recipient: {
        name: '李四',
        phone: '13912345678',
        province: '四川省',
        city: '成都市',
        district: '武侯区',
        address: '科华北路65号',
      },
    });
    const o = await api('residentA', 'POST', '/me/sending/orders', {
      quoteId: q.json().quoteId,
      lockerId: L,
    });
    const starts = vi.spyOn(paymentProvider(t.deps.config), 'start');
    try {
      await before();
      const paid = await api('residentA', 'POST', `/me/sending/orders/${o.json().id}/pay`);
      expect(paid.statusCode).toBe(200);
      expect(paid.json()).toMatchObject({ status: step });
      return { id: o.json().id as string, cb: (await starts.mock.results[0]!.value).callback! };
    } finally {
      starts.mockRestore();
    }
  }

  it('posts the payment once (a replayed callback posts nothing) and a rejection reverses it', async () => {
    const [c0, k0] = [await carrier(), await clearing()];
    const { id, cb } = await pay();
    expect(await carrier()).toBe(c0 + 1300);
    expect(await clearing()).toBe(k0 - 1300);
    expect(await entriesOf(id)).toEqual([{ id: `sending-paid:${id}`, kind: 'sending' }]);

    for (let i = 0; i < 2; i++) {
      const replay = await t.app.inject({
        method: 'POST',
        url: '/api/v1/payments/local/sending-callback',
        headers: { 'content-type': 'application/json', 'x-antnest-signature': cb.signature },
        payload: cb.body,
      });
      expect(replay.json()).toEqual({ result: 'replay' });
    }
    expect(await entriesOf(id)).toHaveLength(1);
    expect(await carrier()).toBe(c0 + 1300);

    const p = (await parcels.findParcel(t.database.db, (await order(id)).parcel_id!))!;
    expect(await storeParcel(t.database.db, t.deps, p, 'api')).toBe(true);
    const r = await api('courier', 'POST', `/courier/sending/orders/${id}/reject`, {
      reason: '内含液体',
    });
    expect(r.statusCode).toBe(200);
    expect(await entriesOf(id)).toEqual([
      { id: `sending-paid:${id}`, kind: 'sending' },
      { id: `sending-refund:${id}`, kind: 'sending_refund' },
    ]);
    expect(await carrier()).toBe(c0);
    expect(await clearing()).toBe(k0);
    const again = await api('courier', 'POST', `/courier/sending/orders/${id}/reject`, {
      reason: 'again',
    });
    expect(again.statusCode).toBe(409);
    expect(await entriesOf(id)).toHaveLength(2);
    expect(await verifyLedger(t.database.db)).toMatchObject({ ok: true, problems: [] });
  });

  let seq = 0;
  /** A door fact from the locker. */
  const fact = (type: string, props: object) =>
    ingest(
      t.deps,
      parcelHooks(t.deps, () => {}),
      lockerTopic(L, 'evt'),
      Buffer.from(
        JSON.stringify({
          messageId: newId(t.clock, cryptoRandom),
          lockerId: L,
          sentAt: iso(t.clock.now()),
          seq: ++seq,
          type,
          ...props,
        }),
      ),
    );

  /** The parcel's door opened for its drop-off, answered as a v2 locker answers: the open's outcome fact. */
  const openedForDrop = async (parcelId: string, compartment: number) =>
    expect(
      (await fact('open_outcome', await openedOutcome(t.database.db, L, compartment, parcelId)))
        .applied,
    ).toBe(true);

  it('refunds an order whose door closed on an empty compartment, not one whose parcel turned up late', async () => {
    const [c0, k0] = [await carrier(), await clearing()];
    const empty = await pay();
    const late = await pay();
    const parcelOf = async (id: string) =>
      (await parcels.findParcel(t.database.db, (await order(id)).parcel_id!))!;
    const e = await parcelOf(empty.id);
    await openedForDrop(e.id, e.compartment);
    await fact('door_closed', { compartment: e.compartment, occupied: false });
    expect((await parcelOf(empty.id)).status).toBe('cancelled');
    // A stale "empty" reading cancels the other, then the parcel is found inside after all.
    const l = await parcelOf(late.id);
    await fact('occupancy', { compartment: l.compartment, occupied: false });
    await fact('door_closed', { compartment: l.compartment });
    expect((await parcelOf(late.id)).status).toBe('cancelled');
    expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 0, failed: 0 });
    t.clock.advance(5 * 60_000);
    await fact('occupancy', { compartment: l.compartment, occupied: true });
    expect((await parcelOf(late.id)).status).toBe('stored');

    t.clock.advance((LATE_DEPOSIT_MINUTES + 1) * 60_000);
    expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 1, paidOut: 1, failed: 0 });
    expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 0, failed: 0 });
    expect((await order(empty.id)).status).toBe('refunded');
    expect((await order(late.id)).status).toBe('paid');
    expect(await entriesOf(empty.id)).toHaveLength(2);
    expect(await entriesOf(late.id)).toHaveLength(1);
    expect(await carrier()).toBe(c0 + 1300);
    expect(await clearing()).toBe(k0 - 1300);
  });

  it('refunds a never-dropped order once, after the late-deposit window, paying a failed refund on the next sweep', async () => {
    const [c0, k0] = [await carrier(), await clearing()];
    const { id } = await pay();
    const parcelId = (await order(id)).parcel_id!;
    // The reservation runs out: the parcel is cancelled, but a late deposit may still revive it.
    t.clock.advance(3 * 3600_000);
    expect(await sweepReservations(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await parcels.findParcel(t.database.db, parcelId))!.status).toBe('cancelled');
    expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 0, failed: 0 });
    expect((await order(id)).status).toBe('paid');
    w.users.residentA.token = await signToken(t, w.users.residentA.id);
    expect((await api('residentA', 'GET', `/me/sending/orders/${id}`)).json().status).toBe(
      'cancelled',
    );
    t.clock.advance((LATE_DEPOSIT_MINUTES + 1) * 60_000);
    const refunds = vi.spyOn(paymentProvider(t.deps.config), 'refund');
    const notices = () =>
      t.database.db
        .selectFrom('notifications')
        .select(['channel', 'user_id', 'body'])
        .where('parcel_id', '=', parcelId)
        .orderBy('channel')
        .execute();
    try {
      refunds.mockRejectedValueOnce(new Error('provider unavailable'));
      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 1, paidOut: 0, failed: 1 });
      // Recorded and committed (refunded, posted, the sender told); the money is still owed.
      expect(await order(id)).toMatchObject({ status: 'refunded', refund_paid_at: null });
      expect(await entriesOf(id)).toHaveLength(2);

      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 1, failed: 0 });
      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 0, failed: 0 });
      expect(refunds).toHaveBeenCalledTimes(2);
      for (const call of refunds.mock.calls)
        expect(call[0]).toMatchObject({ refundId: `sending-refund:${id}`, amountFen: 1300 });
    } finally {
      refunds.mockRestore();
    }
    expect(await order(id)).toMatchObject({
      status: 'refunded',
      refunded_at: expect.any(String),
      refund_paid_at: expect.any(String),
    });
    expect(await entriesOf(id)).toEqual([
      { id: `sending-paid:${id}`, kind: 'sending' },
      { id: `sending-refund:${id}`, kind: 'sending_refund' },
    ]);
    expect(await carrier()).toBe(c0);
    expect(await clearing()).toBe(k0);
    const told = await notices();
    expect(told.map((n) => [n.channel, n.user_id])).toEqual([
      ['app', w.users.residentA.id],
      ['sms', w.users.residentA.id],
    ]);
    expect(told[0]!.body).toMatch(/已退款13\.00元/);
    w.users.residentA.token = await signToken(t, w.users.residentA.id);
    expect((await api('residentA', 'GET', `/me/sending/orders/${id}`)).json()).toMatchObject({
      status: 'refunded',
      payment: { status: 'refunded' },
    });
    expect(await verifyLedger(t.database.db)).toMatchObject({ ok: true, problems: [] });
  });

  it('an order no compartment opened for is refunded at once; a refund the provider refused is paid by the sweep', async () => {
    const [c0, k0] = [await carrier(), await clearing()];
    const refunds = vi.spyOn(paymentProvider(t.deps.config), 'refund');
    let id = '';
    try {
      refunds.mockRejectedValueOnce(new Error('provider unavailable'));
      // The locker is out of service as the payment lands: no compartment can open.
      ({ id } = await pay(() => updateLocker(t.database.db, L, { status: 'retired' }), 'refunded'));
      // Refunded at once (recorded, posted); only the provider's payment is still owed.
      expect(await order(id)).toMatchObject({
        status: 'refunded',
        parcel_id: null,
        refund_paid_at: null,
      });
      expect(await carrier()).toBe(c0);
      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 1, failed: 0 });
      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 0, failed: 0 });
      expect(refunds).toHaveBeenCalledTimes(2);
    } finally {
      refunds.mockRestore();
      await updateLocker(t.database.db, L, { status: 'active' });
    }
    expect(await order(id)).toMatchObject({
      status: 'refunded',
      reject_reason: expect.stringContaining('未能打开格口'),
    });
    expect(await carrier()).toBe(c0);
    expect(await clearing()).toBe(k0);
    expect(await verifyLedger(t.database.db)).toMatchObject({ ok: true, problems: [] });
  });

  it("pays a rejection's refund after the commit; a provider that fails, then succeeds, refunds exactly once", async () => {
    const [c0, k0] = [await carrier(), await clearing()];
    const { id } = await pay();
    const p = (await parcels.findParcel(t.database.db, (await order(id)).parcel_id!))!;
    expect(await storeParcel(t.database.db, t.deps, p, 'api')).toBe(true);
    const refunds = vi.spyOn(paymentProvider(t.deps.config), 'refund');
    // What the provider's call could see: it runs outside the transaction, so the refund and
    // its posting are committed (inside it, SQLite's one connection would wait forever here
    // and PostgreSQL's other connections would not see them).
    const seenByProvider: unknown[] = [];
    try {
      refunds.mockImplementationOnce(async () => {
        seenByProvider.push((await order(id)).status, (await entriesOf(id)).length);
        throw new Error('provider unavailable');
      });
      const r = await api('courier', 'POST', `/courier/sending/orders/${id}/reject`, {
        reason: '内含液体',
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: 'refunded' });
      expect(seenByProvider).toEqual(['refunded', 2]);
      expect(await order(id)).toMatchObject({ status: 'refunded', refund_paid_at: null });
      expect(await carrier()).toBe(c0);
      expect(await clearing()).toBe(k0);
      expect(await verifyLedger(t.database.db)).toMatchObject({ ok: true, problems: [] });

      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 1, failed: 0 });
      expect(await sweepUndroppedOrders(t.deps)).toEqual({ refunded: 0, paidOut: 0, failed: 0 });
      expect(refunds).toHaveBeenCalledTimes(2);
      expect(refunds.mock.calls.map((c) => c[0])).toEqual([
        expect.objectContaining({ refundId: `sending-refund:${id}`, amountFen: 1300 }),
        expect.objectContaining({ refundId: `sending-refund:${id}`, amountFen: 1300 }),
      ]);
      await expect(refunds.mock.results[1]!.value).resolves.toBeUndefined();
    } finally {
      refunds.mockRestore();
    }
    expect((await order(id)).refund_paid_at).toEqual(expect.any(String));
    expect(await entriesOf(id)).toEqual([
      { id: `sending-paid:${id}`, kind: 'sending' },
      { id: `sending-refund:${id}`, kind: 'sending_refund' },
    ]);
    expect(await carrier()).toBe(c0);
    expect(await clearing()).toBe(k0);
    expect(await verifyLedger(t.database.db)).toMatchObject({ ok: true, problems: [] });
  });
});
