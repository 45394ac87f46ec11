/**
 * Accepting a signed payment callback, the same for every kind of payment (the hall's orders,
 * parcels' locker fees; ADR 0022, 0028): verify the signature, find the payment, check its
 * provider and amount, record the event once, settle the payment once. What the settled
 * payment then changes (a sale posted, a fee marked paid) is the caller's, in the same
 * transaction. The rows stay in each module's own tables: the module hands in its
 * repository's functions.
 */
import type { Executor } from '../../db/database.ts';
import { iso } from '../clock.ts';
import type { AppDeps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import { paymentProvider, type SignedCallback } from './payment.port.ts';

/** The columns of a payment row the callback checks. */
export interface PaymentRecord {
  id: string;
  provider: string;
  amount_fen: number;
}

/** A module's payment rows, as its repository reads and writes them. */
export interface PaymentStore<P extends PaymentRecord> {
  /** What the callback names, for the not-found message ("The fee payment this callback names"). */
  what: string;
  findPayment(db: Executor, id: string): Promise<P | undefined>;
  /** Record a callback event once; false when it was already recorded. */
  claimEvent(
    db: Executor,
    row: {
      provider: string;
      event_id: string;
      payment_id: string;
      kind: string;
      amount_fen: number;
      at: string;
    },
  ): Promise<boolean>;
  /** pending → paid or failed, once; false when the payment was no longer pending. */
  settlePayment(db: Executor, id: string, status: 'paid' | 'failed', at: string): Promise<boolean>;
}

/**
 * Verify and record a callback in `trx`: the payment it settled, its new status and when, or
 * null when it is a replay (the event, or the payment's outcome, was already recorded).
 */
export async function acceptPaymentCallback<P extends PaymentRecord>(
  trx: Executor,
  deps: Pick<AppDeps, 'clock' | 'config'>,
  store: PaymentStore<P>,
  cb: SignedCallback,
): Promise<{ payment: P; status: 'paid' | 'failed'; at: string } | null> {
  const provider = paymentProvider(deps.config);
  const event = provider.verify(cb);
  const payment = await store.findPayment(trx, event.paymentId);
  if (!payment || payment.provider !== provider.name) throw notFound(store.what);
  if (event.amountFen !== payment.amount_fen)
    throw new AppError(
      'validation_failed',
      `The callback's amount (${event.amountFen} fen) is not this payment's (${payment.amount_fen} fen); refused.`,
    );
  const at = iso(deps.clock.now());
  const fresh = await store.claimEvent(trx, {
    provider: provider.name,
    event_id: event.eventId,
    payment_id: payment.id,
    kind: event.status,
    amount_fen: event.amountFen,
    at,
  });
  // A second, different event for a payment already settled changes nothing either.
  if (!fresh || !(await store.settlePayment(trx, payment.id, event.status, at))) return null;
  return { payment, status: event.status, at };
}
