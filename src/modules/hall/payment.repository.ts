/** SQL for payments, their callback events and refunds. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { HallPaymentTable, HallRefundTable } from './hall.table.ts';

export type PaymentRow = Selectable<HallPaymentTable>;
export type RefundRow = Selectable<HallRefundTable>;

/** Insert a payment. */
export async function insertPayment(db: Executor, row: PaymentRow): Promise<void> {
  await db.insertInto('hall_payments').values(row).execute();
}

/** A payment by id. */
export async function findPayment(db: Executor, id: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('hall_payments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest payment of a subject. */
export async function paymentOf(
  db: Executor,
  kind: PaymentRow['subject_kind'],
  subjectId: string,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('hall_payments')
    .selectAll()
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** Note the provider's reference for a payment. */
export async function setProviderRef(db: Executor, id: string, ref: string): Promise<void> {
  await db.updateTable('hall_payments').set({ provider_ref: ref }).where('id', '=', id).execute();
}

/** Record a callback event once; false when it was already recorded (a replay). */
export async function claimEvent(
  db: Executor,
  row: {
    provider: string;
    event_id: string;
    payment_id: string;
    kind: string;
    amount_fen: number;
    at: string;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('hall_payment_events')
    .values(row)
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** pending → paid or failed, once. */
export async function settlePayment(
  db: Executor,
  id: string,
  status: 'paid' | 'failed',
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('hall_payments')
    .set({ status, paid_at: status === 'paid' ? at : null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Add to what was refunded of a paid payment, never beyond its amount. */
export async function addRefunded(db: Executor, id: string, amount: number): Promise<boolean> {
  const r = await db
    .updateTable('hall_payments')
    .set((eb) => ({ refunded_fen: eb('refunded_fen', '+', amount) }))
    .where('id', '=', id)
    .where('status', '=', 'paid')
    .where((eb) => eb(eb('refunded_fen', '+', amount), '<=', eb.ref('amount_fen')))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Insert a refund. */
export async function insertRefund(db: Executor, row: RefundRow): Promise<void> {
  await db.insertInto('hall_refunds').values(row).execute();
}

/** Refunds the provider has not confirmed yet. */
export async function requestedRefunds(
  db: Executor,
  ids?: readonly string[],
): Promise<RefundRow[]> {
  return db
    .selectFrom('hall_refunds')
    .selectAll()
    .where('status', '=', 'requested')
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length ? [...ids!] : ['']))
    .orderBy('created_at')
    .limit(500)
    .execute();
}

/** Mark a refund done. */
export async function refundDone(db: Executor, id: string): Promise<void> {
  await db.updateTable('hall_refunds').set({ status: 'done' }).where('id', '=', id).execute();
}

/** Refunds of one payment. */
export async function refundsOf(db: Executor, paymentId: string): Promise<RefundRow[]> {
  return db.selectFrom('hall_refunds').selectAll().where('payment_id', '=', paymentId).execute();
}
