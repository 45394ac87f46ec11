/**
 * Refunding a paid sending order (ADR 0033): the order moves paid → refunded, the refund
 * is posted to the ledger (with the payment's own posting, should an order paid before
 * the ledger knew sending lack it), the sender is told, all in one transaction; the
 * provider pays it back after the commit (`payOutSendingRefunds`), as the hall pays its
 * refunds, so no call to the outside world runs while the transaction holds the ledger's
 * lock. A provider that fails leaves the refund owed (`refund_paid_at` null) and the sweep
 * pays it later; the provider's refund id, `sending-refund:<orderId>`, makes a repeat after a
 * lost answer safe. Paid orders whose parcel was never dropped are found by the sweep and
 * refunded here once.
 */
import { recordAudit } from '../../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../../platform/clock.ts';
import { normalizePhone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { conflict } from '../../../platform/errors.ts';
import { paymentProvider } from '../../../platform/payment/payment.port.ts';
import type { Executor } from '../../../db/database.ts';
import { recordSendingPayment, recordSendingRefund } from '../../ledger/index.ts';
import * as notificationRepo from '../core/notification.repository.ts';
import { LATE_DEPOSIT_MINUTES } from '../locker/fact.hooks.ts';
import * as repo from './sending.repository.ts';
import { openAddresses } from './tariff.service.ts';

/** Post a settled payment of an order (payment clearing → the carrier), in the caller's transaction. */
export async function postSendingPayment(
  trx: Executor,
  deps: Pick<AppDeps, 'clock'>,
  order: repo.OrderRow,
  paidAt: string,
) {
  return recordSendingPayment(trx, deps.clock, {
    transferId: `sending-paid:${order.id}`,
    orderId: order.id,
    communityId: order.community_id,
    carrierId: order.carrier_id,
    amountFen: order.price_fen,
    at: paidAt,
  });
}

/** Tell the sender: an in-app notice and an SMS to the sender's phone on the order. */
async function tellSender(trx: Executor, deps: AppDeps, order: repo.OrderRow, text: string) {
  const now = iso(deps.clock.now());
  const base = {
    community_id: order.community_id,
    parcel_id: order.parcel_id,
    user_id: order.user_id,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  };
  let phone: string | null = null;
  try {
    phone = deps.vault.encrypt(
      normalizePhone(openAddresses(deps, order.addresses_cipher).sender.phone),
    );
  } catch {
    phone = null; // an unreadable address still gets the in-app notice
  }
  if (phone)
    await notificationRepo.insertNotification(trx, {
      ...base,
      id: newId(deps.clock, deps.random),
      channel: 'sms',
      phone_cipher: phone,
      body: text,
      status: 'pending',
      sent_at: null,
      topic: null,
    });
  await notificationRepo.insertNotification(trx, {
    ...base,
    id: newId(deps.clock, deps.random),
    channel: 'app',
    phone_cipher: null,
    body: text,
    status: 'sent',
    sent_at: now,
  });
}

/**
 * paid → refunded: ledger, notice and audit in one transaction, then the provider's refund
 * after the commit (a failure there leaves it owed for the sweep; the order stays refunded).
 */
export async function refundOrder(
  deps: AppDeps,
  order: repo.OrderRow,
  reason: string,
  actorId: string | null,
): Promise<void> {
  await recordRefund(deps, order, reason, actorId);
  await payOutSendingRefunds(deps, [order.id]);
}

/** paid → refunded with its ledger posting, notice and audit, in one transaction; the refund is then owed. */
async function recordRefund(
  deps: AppDeps,
  order: repo.OrderRow,
  reason: string,
  actorId: string | null,
  extraCheck?: (trx: Executor) => Promise<boolean>,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    if (extraCheck && !(await extraCheck(trx))) return false;
    const at = iso(deps.clock.now());
    const moved = await repo.moveOrder(trx, order.id, 'paid', {
      status: 'refunded',
      refunded_at: at,
      refund_paid_at: null,
      reject_reason: reason,
      updated_at: at,
    });
    if (!moved) {
      if (extraCheck) return false; // the sweep: another node refunded it meanwhile
      throw conflict('This order is no longer paid; it was refunded or settled already.');
    }
    const current = (await repo.findOrder(trx, order.id))!;
    // Orders paid before sending was posted get their payment's entry first (a replay otherwise).
    await postSendingPayment(trx, deps, current, current.paid_at ?? at);
    await recordSendingRefund(trx, deps.clock, {
      transferId: `sending-refund:${order.id}`,
      orderId: order.id,
      communityId: order.community_id,
      carrierId: order.carrier_id,
      amountFen: order.price_fen,
      at,
    });
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'sending_order.refunded',
      targetKind: 'sending_order',
      targetId: order.id,
      communityId: order.community_id,
      detail: { amountFen: order.price_fen, reason },
    });
    await tellSender(
      trx,
      deps,
      current,
      `【蚁巢】您的寄件订单已退款${(order.price_fen / 100).toFixed(2)}元：${reason}`,
    );
    return true;
  });
}

/**
 * Pay owed refunds back through the provider, outside any transaction: the given orders'
 * (after the commit that recorded them) or the oldest owed (the sweep). Each is marked paid
 * once the provider confirms; one that fails stays owed for the next sweep.
 */
export async function payOutSendingRefunds(
  deps: AppDeps,
  ids?: readonly string[],
): Promise<{ paid: number; failed: number }> {
  const provider = paymentProvider(deps.config);
  let paid = 0;
  let failed = 0;
  for (const o of await repo.refundsOwed(deps.db, 100, ids)) {
    try {
      await provider.refund({
        paymentId: o.id,
        providerRef: o.provider_ref ?? `local-${o.id}`,
        refundId: `sending-refund:${o.id}`,
        amountFen: o.price_fen,
      });
    } catch {
      failed++; // stays owed: the sweep tries again with the same refund id
      continue;
    }
    if (await repo.markRefundPaid(deps.db, o.id, iso(deps.clock.now()))) paid++;
  }
  return { paid, failed };
}

/** Why an undropped order is refunded (shown to the sender). */
export const NOT_DROPPED =
  '包裹未投入格口，预约已取消 (the parcel was never dropped; the reservation was cancelled)';

/** Why an order that never got a compartment is refunded by the sweep. */
export const NO_COMPARTMENT = '未能打开格口 (no compartment could open for the parcel)';

/**
 * Refund paid orders whose parcel was never dropped: its reservation was cancelled (the
 * door closed on an empty compartment, or the time ran out) more than the late-deposit
 * window ago, so a parcel found inside afterwards can no longer revive it; or no
 * compartment opened and the immediate refund failed (paid that long ago, no parcel). Each order is
 * refunded once. Then every refund still owed (its provider failed after the commit) is paid
 * back: `refunded` counts orders refunded now, `paidOut` refunds the provider confirmed
 * (those just recorded included), `failed` refunds the provider refused this time.
 */
export async function sweepUndroppedOrders(
  deps: AppDeps,
): Promise<{ refunded: number; paidOut: number; failed: number }> {
  const cutoff = iso(deps.clock.now() - LATE_DEPOSIT_MINUTES * 60_000);
  let refunded = 0;
  let unrecorded = 0;
  for (const o of await repo.undroppedPaidOrders(deps.db, cutoff, 100)) {
    const still = (trx: Executor) => repo.stillUndropped(trx, o.id, cutoff);
    const why = o.parcel_id ? NOT_DROPPED : NO_COMPARTMENT;
    try {
      if (await recordRefund(deps, o, why, null, still)) refunded++;
    } catch {
      unrecorded++; // rolled back, still paid: the next sweep tries again
    }
  }
  const { paid, failed } = await payOutSendingRefunds(deps);
  return { refunded, paidOut: paid, failed: failed + unrecorded };
}
