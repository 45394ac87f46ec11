import { type Kysely, sql } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Issue 20 (ADR 0033, amended): a sending refund is recorded in the transaction that moves the
 * order to refunded and posts it to the ledger, and paid by the provider after the commit
 * (`refund_paid_at`), as the hall pays its refunds; the sweep pays the ones still owed. Orders
 * refunded before this change were paid inside their transaction, so they count as paid.
 * The first index serves both sweeps (paid orders never dropped, refunded orders not yet paid
 * back); the second finds an order by its parcel (a carrier's collection and its list).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sending_orders')
    .addColumn('refund_paid_at', timestampType(db))
    .execute();
  await sql`update sending_orders set refund_paid_at = refunded_at where status = 'refunded'`.execute(
    db,
  );
  await db.schema
    .createIndex('sending_orders_status_idx')
    .on('sending_orders')
    .columns(['status', 'refund_paid_at'])
    .execute();
  // An order by its parcel (may the carrier collect it; the carrier's list of what to collect).
  await db.schema
    .createIndex('sending_orders_parcel_idx')
    .on('sending_orders')
    .column('parcel_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sending_orders_parcel_idx').execute();
  await db.schema.dropIndex('sending_orders_status_idx').execute();
  await db.schema.alterTable('sending_orders').dropColumn('refund_paid_at').execute();
}
