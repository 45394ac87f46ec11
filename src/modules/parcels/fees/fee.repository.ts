/** The only SQL on parcel fee payments, their callback events and settlements. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type {
  ParcelFeePaymentTable,
  ParcelFeeSettlementTable,
  ParcelFeePaymentEventTable,
} from './fee.table.ts';

export type FeePaymentRow = Selectable<ParcelFeePaymentTable>;
export type SettlementRow = Selectable<ParcelFeeSettlementTable>;

/** Insert a payment. */
export async function insertPayment(db: Executor, row: FeePaymentRow): Promise<void> {
  await db.insertInto('parcel_fee_payments').values(row).execute();
}

/** A payment by id. */
export async function findPayment(db: Executor, id: string): Promise<FeePaymentRow | undefined> {
  return db.selectFrom('parcel_fee_payments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The payments of a parcel still waiting for their callback, newest first. */
export async function pendingOf(db: Executor, parcelId: string): Promise<FeePaymentRow[]> {
  return db
    .selectFrom('parcel_fee_payments')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Note the provider's reference for a payment. */
export async function setProviderRef(db: Executor, id: string, ref: string): Promise<void> {
  await db
    .updateTable('parcel_fee_payments')
    .set({ provider_ref: ref })
    .where('id', '=', id)
    .execute();
}

/** Record a callback event once; false when it was already recorded (a replay). */
export async function claimEvent(
  db: Executor,
  row: Selectable<ParcelFeePaymentEventTable>,
): Promise<boolean> {
  const r = await db
    .insertInto('parcel_fee_payment_events')
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
    .updateTable('parcel_fee_payments')
    .set({ status, paid_at: status === 'paid' ? at : null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Settle a parcel's fee once; false when it was already settled. */
export async function insertSettlement(db: Executor, row: SettlementRow): Promise<boolean> {
  const r = await db
    .insertInto('parcel_fee_settlements')
    .values(row)
    .onConflict((oc) => oc.column('parcel_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A parcel's settlement, if its fee was paid or waived. */
export async function settlementOf(
  db: Executor,
  parcelId: string,
): Promise<SettlementRow | undefined> {
  return db
    .selectFrom('parcel_fee_settlements')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .executeTakeFirst();
}
