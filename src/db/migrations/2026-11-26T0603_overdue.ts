import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/** Overdue policies per community, parcel reminders, overdue actions and the service hall's shelf. */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('overdue_policies')
    .addColumn('community_id', 'text', (c) => c.primaryKey().references('communities.id'))
    .addColumn('free_hours', 'integer', (c) => c.notNull().defaultTo(48))
    .addColumn('reminder_hours_before', 'integer', (c) => c.notNull().defaultTo(6))
    .addColumn('action', 'text', (c) => c.notNull().defaultTo('move_to_hall'))
    .addColumn('fee_per_day_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_cap_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retention_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('parcel_reminders')
    .addColumn('parcel_id', 'text', (c) => c.primaryKey().references('parcels.id'))
    .addColumn('sent_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('parcel_overdue')
    .addColumn('parcel_id', 'text', (c) => c.primaryKey().references('parcels.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('carrier_id', 'text')
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('parcel_overdue_carrier_idx')
    .on('parcel_overdue')
    .columns(['carrier_id', 'at'])
    .execute();

  await db.schema
    .createTable('hall_shelf_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('parcel_id', 'text', (c) => c.notNull().unique().references('parcels.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('slot', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('moved_at', ts)
    .addColumn('handed_over_at', ts)
    .addColumn('moved_by', 'text')
    .execute();
  await db.schema
    .createIndex('hall_shelf_items_hall_idx')
    .on('hall_shelf_items')
    .columns(['hall_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['hall_shelf_items', 'parcel_overdue', 'parcel_reminders', 'overdue_policies'])
    await db.schema.dropTable(t).execute();
}
