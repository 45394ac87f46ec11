/**
 * Payments and refunds, independent of what they pay for. A payment row is written in the
 * transaction that creates its subject; the provider is called after commit. A refund row
 * is written in the transaction that changes its subject (so the change and the money
 * back cannot part); the provider is asked to pay it out after commit, and the sweep
 * retries any it did not confirm.
 */
import type { Trx } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import type { PaymentHandle } from './payment.types.ts';
import { acceptPaymentCallback } from '../../platform/payment/callback.service.ts';
import { paymentProvider, type SignedCallback } from '../../platform/payment/payment.port.ts';
import { postRefundOf, postSale } from './ledger.service.ts';
import * as repo from './payment.repository.ts';

/** Create a pending payment for a subject inside the caller's transaction. */
export async function createPayment(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random' | 'config'>,
  p: {
    subjectKind: repo.PaymentRow['subject_kind'];
    subjectId: string;
    userId: string;
    communityId: string;
    amountFen: number;
  },
): Promise<repo.PaymentRow> {
  const row: repo.PaymentRow = {
    id: newId(deps.clock, deps.random),
    community_id: p.communityId,
    subject_kind: p.subjectKind,
    subject_id: p.subjectId,
    user_id: p.userId,
    provider: paymentProvider(deps.config).name,
    provider_ref: null,
    amount_fen: p.amountFen,
    refunded_fen: 0,
    status: 'pending',
    created_at: iso(deps.clock.now()),
    paid_at: null,
  };
  await repo.insertPayment(trx, row);
  return row;
}

/** Ask the provider to start a payment; the local one hands back its (signed) callback. */
export async function startPayment(
  deps: AppDeps,
  payment: repo.PaymentRow,
  description: string,
): Promise<SignedCallback | undefined> {
  const started = await paymentProvider(deps.config).start({
    paymentId: payment.id,
    amountFen: payment.amount_fen,
    description,
  });
  await repo.setProviderRef(deps.db, payment.id, started.providerRef);
  return started.callback;
}

/** The hall's payment rows, for the shared callback flow. */
const hallPayments = {
  what: 'The payment this callback names',
  findPayment: repo.findPayment,
  claimEvent: repo.claimEvent,
  settlePayment: repo.settlePayment,
};

/**
 * Verify a callback and record it: null when it is a replay (already handled), otherwise
 * the payment it settled and how. The amount must equal the payment's.
 */
export async function acceptCallback(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'config'>,
  cb: SignedCallback,
): Promise<PaymentHandle | null> {
  const accepted = await acceptPaymentCallback(trx, deps, hallPayments, cb);
  if (!accepted) return null;
  const { payment, status, at } = accepted;
  const settled = { ...payment, status, paid_at: at };
  // The money is in: the ledger splits it in this same transaction (hall/ledger.service.ts).
  if (status === 'paid') await postSale(trx, deps, settled);
  return { payment: settled, status };
}

/**
 * Record a refund of `amountFen` against a paid payment inside the caller's transaction;
 * never more than was paid and not yet refunded. Returns the refund's id for payOutRefunds.
 */
export async function recordRefund(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  payment: repo.PaymentRow,
  amountFen: number,
  reason: string,
): Promise<string> {
  if (amountFen <= 0)
    throw new AppError('validation_failed', '退款金额须大于 0。A refund must be more than 0 fen.');
  if (!(await repo.addRefunded(trx, payment.id, amountFen)))
    throw conflict(
      '退款金额超过可退金额。The refund is more than what was paid and not yet refunded; refund less.',
    );
  const id = newId(deps.clock, deps.random);
  await repo.insertRefund(trx, {
    id,
    payment_id: payment.id,
    community_id: payment.community_id,
    amount_fen: amountFen,
    reason,
    status: 'requested',
    created_at: iso(deps.clock.now()),
  });
  await postRefundOf(trx, deps, payment, id, amountFen);
  return id;
}

/** Pay out requested refunds through the provider (after commit; the sweep retries failures). */
export async function payOutRefunds(deps: AppDeps, ids?: readonly string[]): Promise<number> {
  const provider = paymentProvider(deps.config);
  let done = 0;
  for (const r of await repo.requestedRefunds(deps.db, ids)) {
    const payment = await repo.findPayment(deps.db, r.payment_id);
    if (!payment?.provider_ref) continue;
    await provider.refund({
      paymentId: payment.id,
      providerRef: payment.provider_ref,
      refundId: r.id,
      amountFen: r.amount_fen,
    });
    await repo.refundDone(deps.db, r.id);
    done++;
  }
  return done;
}
