import { type Kysely, sql } from 'kysely';
import { timestampType } from '../dialect.ts';

/** Parcels, their event history and the notification outbox. */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('parcels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('locker_id', 'text', (c) => c.notNull().references('lockers.id'))
    .addColumn('compartment', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('carrier_id', 'text')
    .addColumn('depositor_id', 'text', (c) => c.notNull())
    .addColumn('waybill', 'text')
    .addColumn('recipient_phone_hash', 'text')
    .addColumn('recipient_phone_cipher', 'text')
    .addColumn('recipient_user_id', 'text')
    .addColumn('code_hash', 'text')
    .addColumn('code_cipher', 'text')
    .addColumn('code_verifier', 'text')
    .addColumn('code_expires_at', ts)
    .addColumn('reserved_until', ts)
    .addColumn('stored_at', ts)
    .addColumn('free_until', ts)
    .addColumn('picked_up_at', ts)
    .addColumn('pickup_command_id', 'text')
    .addColumn('deidentified_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('parcels_locker_status_idx')
    .on('parcels')
    .columns(['locker_id', 'status'])
    .execute();
  await db.schema
    .createIndex('parcels_recipient_idx')
    .on('parcels')
    .columns(['recipient_phone_hash', 'status'])
    .execute();
  await db.schema
    .createIndex('parcels_recipient_user_idx')
    .on('parcels')
    .columns(['recipient_user_id', 'status'])
    .execute();
  await db.schema
    .createIndex('parcels_community_idx')
    .on('parcels')
    .columns(['community_id', 'status'])
    .execute();
  // A code identifies one live parcel at a locker; a compartment holds one live parcel (one
  // reservation or one stored parcel); these indexes make both impossible to break by racing.
  await sql`create unique index parcels_live_code_unique on parcels (locker_id, code_hash) where status in ('reserved', 'stored') and code_hash is not null`.execute(
    db,
  );
  await sql`create unique index parcels_live_compartment_unique on parcels (locker_id, compartment) where status in ('reserved', 'stored')`.execute(
    db,
  );

  await db.schema
    .createTable('parcel_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parcel_id', 'text', (c) => c.notNull().references('parcels.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('parcel_events_parcel_idx')
    .on('parcel_events')
    .columns(['parcel_id', 'at'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('parcel_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('phone_cipher', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notifications', 'parcel_events', 'parcels'])
    await db.schema.dropTable(t).execute();
}
