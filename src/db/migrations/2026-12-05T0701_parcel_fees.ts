import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Collecting overdue locker fees (issue 17, ADR 0028): the resident's payments of a
 * parcel's fee, each provider callback recorded once, and the one settlement per parcel
 * (paid or waived) that ends the fee.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('parcel_fee_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parcel_id', 'text', (c) => c.notNull().references('parcels.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('paid_at', ts)
    .execute();
  await db.schema
    .createIndex('parcel_fee_payments_parcel_idx')
    .on('parcel_fee_payments')
    .columns(['parcel_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('parcel_fee_payment_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('parcel_fee_payments.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('parcel_fee_payment_events_pk', ['provider', 'event_id'])
    .execute();

  await db.schema
    .createTable('parcel_fee_settlements')
    .addColumn('parcel_id', 'text', (c) => c.primaryKey().references('parcels.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.references('parcel_fee_payments.id'))
    .addColumn('entry_id', 'text')
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
}
