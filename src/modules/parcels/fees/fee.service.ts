/**
 * Collecting a parcel's overdue fee (ADR 0028). The resident pays through the payment port
 * (src/platform/payment); the provider's callback is verified, recorded once, and settles
 * the fee and posts it to the ledger in one transaction, so the fee is never marked paid
 * without its posting nor posted twice. Staff may waive a fee instead: nothing is posted
 * (no money moved) and the waiver is audited.
 */
import type { Executor } from '../../../db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import { acceptPaymentCallback } from '../../../platform/payment/callback.service.ts';
import { paymentProvider, type SignedCallback } from '../../../platform/payment/payment.port.ts';
import { recordLockerFee } from '../../ledger/index.ts';
import { reachableParcel } from '../core/parcel.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import { type FeeState, feeOf } from './fee.policy.ts';
import * as fees from './fee.repository.ts';

/** How long a started payment holds the fee: no second payment and no waiver meanwhile. */
export const PAYMENT_WINDOW_MS = 15 * 60_000;

const inProgress = () =>
  conflict(
    '该包裹的缴费正在处理中，请稍候再试。 A payment of this fee is in progress; wait for it to finish.',
  );

/** A payment started within the window still holds the fee. */
async function pendingHold(db: Executor, parcelId: string, now: number): Promise<boolean> {
  const pending = await fees.pendingOf(db, parcelId);
  return pending.some((p) => Date.parse(p.created_at) > now - PAYMENT_WINDOW_MS);
}

/** The fee of a parcel the caller may reach (as recipient or through a share). */
export async function myFee(deps: AppDeps, userId: string, parcelId: string): Promise<FeeState> {
  const { parcel } = await reachableParcel(deps.db, userId, parcelId);
  return feeOf(deps.db, deps.clock.now(), parcel);
}

/**
 * Pay the fee a parcel owes now: a pending payment of that amount, started with the
 * provider after commit; the local provider settles at once through the same callback
 * path a real provider's notification takes.
 */
export async function payFee(
  deps: AppDeps,
  userId: string,
  parcelId: string,
): Promise<{ paymentId: string; status: fees.FeePaymentRow['status']; fee: FeeState }> {
  const provider = paymentProvider(deps.config);
  const payment = await deps.db.transaction().execute(async (trx) => {
    const { parcel } = await reachableParcel(trx, userId, parcelId);
    const now = deps.clock.now();
    const fee = await feeOf(trx, now, parcel);
    if (fee.status !== 'owing')
      throw conflict(
        fee.status === 'none'
          ? '该包裹没有需要缴纳的费用。 This parcel owes nothing.'
          : "该包裹的费用已结清。 This parcel's fee is already settled.",
      );
    if (await pendingHold(trx, parcel.id, now)) throw inProgress();
    const row: fees.FeePaymentRow = {
      id: newId(deps.clock, deps.random),
      parcel_id: parcel.id,
      community_id: parcel.community_id,
      user_id: userId,
      provider: provider.name,
      provider_ref: null,
      amount_fen: fee.owedFen,
      status: 'pending',
      created_at: iso(now),
      paid_at: null,
    };
    await fees.insertPayment(trx, row);
    return row;
  });
  const started = await provider.start({
    paymentId: payment.id,
    amountFen: payment.amount_fen,
    description: '快递柜超时保管费',
  });
  await fees.setProviderRef(deps.db, payment.id, started.providerRef);
  if (started.callback) await deliverFeeCallback(deps, started.callback);
  const after = (await fees.findPayment(deps.db, payment.id))!;
  const parcel = (await parcels.findParcel(deps.db, parcelId))!;
  return {
    paymentId: after.id,
    status: after.status,
    fee: await feeOf(deps.db, deps.clock.now(), parcel),
  };
}

/** Fee payment rows, for the shared callback flow. */
const feePayments = {
  what: 'The fee payment this callback names',
  findPayment: fees.findPayment,
  claimEvent: fees.claimEvent,
  settlePayment: fees.settlePayment,
};

/**
 * Handle one signed callback for a fee payment: verify it, record it once, settle the
 * payment, and for a paid one settle the parcel's fee and post it to the ledger, all in
 * one transaction. 'replay' when it (or the payment's outcome) was already recorded.
 */
export async function deliverFeeCallback(
  deps: AppDeps,
  cb: SignedCallback,
): Promise<'settled' | 'replay'> {
  return deps.db.transaction().execute(async (trx) => {
    const accepted = await acceptPaymentCallback(trx, deps, feePayments, cb);
    if (!accepted) return 'replay';
    if (accepted.status === 'paid')
      await settlePaidFee(trx, deps, { ...accepted.payment, paid_at: accepted.at });
    return 'settled';
  });
}

/**
 * A paid fee payment: mark the parcel's fee paid, then post the money, in the caller's
 * transaction (a failed posting undoes the mark). The entry's id is the transfer id.
 */
async function settlePaidFee(trx: Executor, deps: AppDeps, payment: fees.FeePaymentRow) {
  const transferId = `parcel-fee:${payment.id}`;
  const settled = await fees.insertSettlement(trx, {
    parcel_id: payment.parcel_id,
    community_id: payment.community_id,
    kind: 'paid',
    amount_fen: payment.amount_fen,
    payment_id: payment.id,
    entry_id: transferId,
    by_user: payment.user_id,
    reason: null,
    at: payment.paid_at!,
  });
  await recordLockerFee(trx, deps.clock, {
    transferId,
    communityId: payment.community_id,
    parcelId: payment.parcel_id,
    amountFen: payment.amount_fen,
    at: payment.paid_at!,
  });
  // A payment that outlived its window and landed after the fee was settled another way:
  // the money is in and posted; staff see it in the audit trail and pay it back.
  if (!settled)
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: null,
      action: 'parcel_fee.paid_after_settled',
      targetKind: 'parcel',
      targetId: payment.parcel_id,
      communityId: payment.community_id,
      detail: { paymentId: payment.id, amountFen: payment.amount_fen, entryId: transferId },
    });
}

/** Staff waive the fee a parcel owes: settled at nothing collected, nothing posted, audited. */
export async function waiveFee(
  deps: AppDeps,
  staffId: string,
  communityId: string,
  parcelId: string,
  reason: string,
): Promise<FeeState> {
  return deps.db.transaction().execute(async (trx) => {
    const parcel = await parcels.findParcel(trx, parcelId);
    if (!parcel || parcel.community_id !== communityId) throw notFound('That parcel');
    const now = deps.clock.now();
    const fee = await feeOf(trx, now, parcel);
    if (fee.status !== 'owing')
      throw conflict(
        fee.status === 'none'
          ? '该包裹没有需要减免的费用。 This parcel owes nothing to waive.'
          : "该包裹的费用已结清。 This parcel's fee is already settled.",
      );
    if (await pendingHold(trx, parcel.id, now)) throw inProgress();
    const at = iso(now);
    const settled = await fees.insertSettlement(trx, {
      parcel_id: parcel.id,
      community_id: communityId,
      kind: 'waived',
      amount_fen: fee.owedFen,
      payment_id: null,
      entry_id: null,
      by_user: staffId,
      reason,
      at,
    });
    if (!settled) throw conflict("该包裹的费用已结清。 This parcel's fee is already settled.");
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: staffId,
      action: 'parcel_fee.waived',
      targetKind: 'parcel',
      targetId: parcel.id,
      communityId,
      detail: { amountFen: fee.owedFen, reason },
    });
    return feeOf(trx, now, parcel);
  });
}
