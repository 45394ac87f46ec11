import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/** Delivery preferences, consent requests for locker delivery and address aliases (ADR 0009). */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('delivery_preferences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // '*' (not NULL) is the default for every carrier, so the unique constraint covers it on both dialects.
    .addColumn('carrier_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('delivery_preferences_user_carrier', ['user_id', 'carrier_id'])
    .execute();

  await db.schema
    .createTable('consent_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('recipient_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('carrier_id', 'text', (c) => c.notNull().references('carriers.id'))
    .addColumn('courier_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('locker_id', 'text', (c) => c.notNull().references('lockers.id'))
    .addColumn('waybill_tail', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('decided_at', ts)
    .execute();
  await db.schema
    .createIndex('consent_requests_recipient_idx')
    .on('consent_requests')
    .columns(['recipient_user_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('consent_requests_courier_idx')
    .on('consent_requests')
    .columns(['courier_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('consent_requests_community_idx')
    .on('consent_requests')
    .columns(['community_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('address_aliases')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['address_aliases', 'consent_requests', 'delivery_preferences'])
    await db.schema.dropTable(t).execute();
}
