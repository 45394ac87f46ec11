/**
 * Collecting overdue locker fees (ADR 0028): a parcel that owes stays shut on every pickup
 * path the cloud decides; paying settles the fee and posts it to the ledger in one
 * transaction (a failed posting undoes the settlement); a replayed callback posts nothing
 * more; staff may waive (nothing posted, audited); nobody else sees or pays the fee.
 */
import { expect, it } from 'vitest';
import { activeLocker, auth } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { screenQrText } from '../../../contract/index.ts';
import { iso } from '../../../platform/clock.ts';
import {
  LocalPaymentProvider,
  paymentProvider,
  SIGNATURE_HEADER,
} from '../../../platform/payment/payment.port.ts';
import { accountBalance, accounts, transfer } from '../../ledger/index.ts';
import { findLocker } from '../../lockers/index.ts';
import * as parcels from '../core/parcel.repository.ts';
import { openCode } from '../core/pickup-code.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { storeParcel } from '../deposit/store.service.ts';
import { parcelHooks } from '../locker/parcel.hooks.ts';
import { savePolicy } from '../overdue/overdue.policy.ts';
import { screenKeyFor } from '../pickup/screen-key.ts';
import { feeOf } from './fee.policy.ts';
import * as fees from './fee.repository.ts';

const H = 3600_000;
const L = 'fee-0001';

describeEachDialect('overdue locker fees', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });

  /** A parcel for resident A, stored, 25 hours past its free storage: two started days at ¥1.50, ¥3. */
  async function owingParcel() {
    await activeLocker(t, w, L, '费用柜', 8);
    await savePolicy(t.deps, w.community1, {
      freeHours: 24,
      reminderHoursBefore: 3,
      action: 'capped_fee',
      feePerDayFen: 150,
      feeCapFen: 300,
      retentionDays: 7,
    });
    const { parcel } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: L,
        waybill: 'ZTO9001',
        recipientPhone: '13800000001',
        size: 'S',
        kind: 'delivery',
      },
    );
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    // Free storage ended 25 hours ago (set on the row: moving the clock would end the test sessions).
    await t.database.db
      .updateTable('parcels')
      .set({ free_until: iso(t.clock.now() - 25 * H) })
      .where('id', '=', parcel.id)
      .execute();
    const p = (await parcels.findParcel(t.database.db, parcel.id))!;
    return { p, code: openCode(t.deps.config.secrets.phoneKey, p.code_cipher!) };
  }
  const call = (
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
  const callback = (body: string, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/local/parcel-fee-callback',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]:
          signature ?? (paymentProvider(t.deps.config) as LocalPaymentProvider).sign(body),
      },
      payload: body,
    });
  const entriesOf = (parcelId: string) =>
    t.database.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('ref_kind', '=', 'parcel')
      .where('ref_id', '=', parcelId)
      .execute();

  it('refuses every pickup path while the fee is owed, with the amount and what to do', async () => {
    const { p, code } = await owingParcel();
    const fee = await call('residentA', 'GET', `/me/parcels/${p.id}/fee`);
    expect(fee.json()).toMatchObject({ status: 'owing', owedFen: 300, settledFen: null });

    const open = await call('residentA', 'POST', `/me/parcels/${p.id}/open`);
    expect(open.statusCode).toBe(409);
    expect(open.json().error.message).toContain('¥3.00');
    const byCode = await call('residentA', 'POST', '/me/pickups/code', { lockerId: L, code });
    expect(byCode.statusCode).toBe(409);
    const qr = screenQrText(
      Buffer.from(screenKeyFor(t.deps.config, L), 'base64url'),
      L,
      t.clock.now(),
    );
    const byScan = await call('residentA', 'POST', '/me/pickups/scan', { qr });
    expect(byScan.statusCode).toBe(409);
    expect(byScan.json().error.message).toContain('缴费');
    const locker = (await findLocker(t.database.db, L))!;
    const screen = await parcelHooks(t.deps, () => {}).onCodeEntered!(t.database.db, locker, code);
    expect(screen).toEqual({ refuse: 'fee_owed' });
    // Nothing was queued to open.
    const opens = await t.database.db
      .selectFrom('locker_commands')
      .select('body')
      .where('locker_id', '=', L)
      .where('type', '=', 'open')
      .execute();
    expect(opens.filter((c) => JSON.parse(c.body).reason === 'pickup')).toEqual([]);
  });

  it('a code typed at the screen stays shut while a group mate behind the same code owes', async () => {
    const { p, code } = await owingParcel();
    // Settle the first parcel's fee window back to free, then put a second one in beside it.
    await t.database.db
      .updateTable('parcels')
      .set({ free_until: iso(t.clock.now() + 24 * H) })
      .where('id', '=', p.id)
      .execute();
    const { parcel: second } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: L,
        waybill: 'ZTO9002',
        recipientPhone: '13800000001',
        size: 'S',
        kind: 'delivery',
        together: true,
      },
    );
    expect(second.compartment).toBe(p.compartment);
    expect(await storeParcel(t.database.db, t.deps, second, 'api')).toBe(true);
    const group = await parcels.storedByCodeWithMates(t.database.db, L, p.code_hash!);
    expect(group?.mates.map((m) => m.id)).toHaveLength(1);
    // The one the code finds first owes nothing; its mate owes.
    const [first, mate] = [group!.parcel, group!.mates[0]!];
    await t.database.db
      .updateTable('parcels')
      .set({ free_until: iso(t.clock.now() + 24 * H) })
      .where('id', '=', first.id)
      .execute();
    await t.database.db
      .updateTable('parcels')
      .set({ free_until: iso(t.clock.now() - 25 * H) })
      .where('id', '=', mate.id)
      .execute();
    const locker = (await findLocker(t.database.db, L))!;
    const screen = await parcelHooks(t.deps, () => {}).onCodeEntered!(t.database.db, locker, code);
    expect(screen).toEqual({ refuse: 'fee_owed' });
  });

  it('pays the fee: settled and posted in one transaction, then the parcel opens', async () => {
    const { p } = await owingParcel();
    const before = await accountBalance(t.database.db, accounts.lockerFees(w.community1).id);
    const paid = await call('residentA', 'POST', `/me/parcels/${p.id}/fee/payments`);
    expect(paid.statusCode).toBe(201);
    expect(paid.json()).toMatchObject({
      status: 'paid',
      fee: { status: 'paid', owedFen: 0, settledFen: 300 },
    });
    const [entry, ...more] = await entriesOf(p.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ kind: 'locker_fee', community_id: w.community1 });
    expect(await accountBalance(t.database.db, accounts.lockerFees(w.community1).id)).toBe(
      before + 300,
    );
    const settlement = await fees.settlementOf(t.database.db, p.id);
    expect(settlement).toMatchObject({ kind: 'paid', amount_fen: 300, entry_id: entry!.id });
    // Paying again: nothing is owed. The fee no longer grows once settled.
    expect((await call('residentA', 'POST', `/me/parcels/${p.id}/fee/payments`)).statusCode).toBe(
      409,
    );
    const later = (await parcels.findParcel(t.database.db, p.id))!;
    expect(await feeOf(t.database.db, t.clock.now() + 96 * H, later)).toMatchObject({
      status: 'paid',
      settledFen: 300,
    });
    expect((await call('residentA', 'POST', `/me/parcels/${p.id}/open`)).statusCode).toBe(202);
  });

  it('a replayed callback, or a second event for a settled payment, posts nothing more', async () => {
    const { p } = await owingParcel();
    const paid = await call('residentA', 'POST', `/me/parcels/${p.id}/fee/payments`);
    const paymentId = paid.json().paymentId as string;
    const [event] = await t.database.db
      .selectFrom('parcel_fee_payment_events')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .execute();
    const body = (eventId: string) =>
      JSON.stringify({
        eventId,
        paymentId,
        providerRef: `local-${paymentId}`,
        amountFen: 300,
        status: 'paid',
      });
    for (const b of [body(event!.event_id), body('another-event')]) {
      const r = await callback(b);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ result: 'replay' });
    }
    expect(await entriesOf(p.id)).toHaveLength(1);
    // A forged signature or another amount is refused.
    expect((await callback(body('forged'), 'ab'.repeat(32))).statusCode).toBe(401);
    const wrong = JSON.stringify({ ...JSON.parse(body('x')), amountFen: 1 });
    expect((await callback(wrong)).statusCode).toBe(400);
  });

  it('a failed posting rolls back the settlement and the payment', async () => {
    const { p } = await owingParcel();
    const db = t.database.db;
    const paymentId = '01900000-0000-7000-8000-00000000fee1';
    await fees.insertPayment(db, {
      id: paymentId,
      parcel_id: p.id,
      community_id: w.community1,
      user_id: w.users.residentA.id,
      provider: 'local',
      provider_ref: `local-${paymentId}`,
      amount_fen: 300,
      status: 'pending',
      created_at: iso(t.clock.now()),
      paid_at: null,
    });
    // Another transfer already holds the id the fee's posting will use: the posting fails
    // after the fee was marked paid.
    await db.transaction().execute((trx) =>
      transfer(trx, t.clock, {
        transferId: `parcel-fee:${paymentId}`,
        kind: 'adjustment',
        at: iso(t.clock.now()),
        memo: 'occupies the id',
        postings: [
          { account: accounts.cash(w.community1), amount: -1 },
          { account: accounts.paymentClearing(), amount: 1 },
        ],
      }),
    );
    const body = JSON.stringify({
      eventId: 'e-1',
      paymentId,
      providerRef: `local-${paymentId}`,
      amountFen: 300,
      status: 'paid',
    });
    expect((await callback(body)).statusCode).toBe(409);
    expect(await fees.settlementOf(db, p.id)).toBeUndefined();
    expect((await fees.findPayment(db, paymentId))!.status).toBe('pending');
    const events = await db.selectFrom('parcel_fee_payment_events').selectAll().execute();
    expect(events).toEqual([]);
    expect((await call('residentA', 'GET', `/me/parcels/${p.id}/fee`)).json().status).toBe('owing');
  });

  it('staff waive a fee: nothing posted, audited, the parcel opens; residents cannot', async () => {
    const { p } = await owingParcel();
    const url = `/communities/${w.community1}/parcels/${p.id}/fee/waiver`;
    expect((await call('residentA', 'POST', url, { reason: '老人行动不便' })).statusCode).toBe(403);
    expect(
      (await call('communityWorker2', 'POST', url, { reason: '老人行动不便' })).statusCode,
    ).toBe(404);
    expect((await call('communityWorker1', 'POST', url, { reason: ' ' })).statusCode).toBe(400);
    const r = await call('communityWorker1', 'POST', url, { reason: '老人行动不便' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'waived', owedFen: 0, settledFen: 300 });
    expect(await entriesOf(p.id)).toEqual([]);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', p.id)
      .where('action', '=', 'parcel_fee.waived')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(w.users.communityWorker1.id);
    expect((await call('communityWorker1', 'POST', url, { reason: '再来一次' })).statusCode).toBe(
      409,
    );
    expect((await call('residentA', 'POST', `/me/parcels/${p.id}/fee/payments`)).statusCode).toBe(
      409,
    );
    expect((await call('residentA', 'POST', `/me/parcels/${p.id}/open`)).statusCode).toBe(202);
  });

  it("a resident can neither see nor pay another resident's fee", async () => {
    const { p } = await owingParcel();
    expect((await call('residentB', 'GET', `/me/parcels/${p.id}/fee`)).statusCode).toBe(404);
    expect((await call('residentB', 'POST', `/me/parcels/${p.id}/fee/payments`)).statusCode).toBe(
      404,
    );
    expect(await t.database.db.selectFrom('parcel_fee_payments').selectAll().execute()).toEqual([]);
  });

  it('a parcel the locker let out offline while owing still owes what had accrued', async () => {
    const { p } = await owingParcel();
    await t.database.db
      .updateTable('parcels')
      .set({ status: 'picked_up', picked_up_at: iso(t.clock.now() - 2 * H) })
      .where('id', '=', p.id)
      .execute();
    // Taken out 23 hours past free storage: one started day at ¥1.50, however long it stays unpaid.
    const out = (await parcels.findParcel(t.database.db, p.id))!;
    expect(await feeOf(t.database.db, t.clock.now() + 96 * H, out)).toMatchObject({
      status: 'owing',
      owedFen: 150,
    });
    const fee = await call('residentA', 'GET', `/me/parcels/${p.id}/fee`);
    expect(fee.json()).toMatchObject({ status: 'owing', owedFen: 150 });
    const paid = await call('residentA', 'POST', `/me/parcels/${p.id}/fee/payments`);
    expect(paid.json().fee).toMatchObject({ status: 'paid', settledFen: 150 });
  });
});
