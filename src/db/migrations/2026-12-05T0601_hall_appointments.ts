import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Appointment-based hall services (issue 15, docs/hall.md "Service appointments"): a
 * service item may carry a slot length, a capacity per slot, its own hours (else the
 * hall's) and whether it happens at the resident's unit; an order line of such a service
 * holds one appointment row. Slot capacity is a named counter in hall_counters.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  for (const [name, type] of [
    ['slot_minutes', 'integer'],
    ['slot_capacity', 'integer'],
    ['slot_hours', 'text'],
  ] as const)
    await db.schema.alterTable('hall_items').addColumn(name, type).execute();
  await db.schema
    .alterTable('hall_items')
    .addColumn('at_home', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('hall_appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('hall_orders.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('hall_items.id'))
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('slot_start', ts, (c) => c.notNull())
    .addColumn('slot_end', ts, (c) => c.notNull())
    .addColumn('places', 'integer', (c) => c.notNull())
    .addColumn('at_home', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hall_appointments_day_idx')
    .on('hall_appointments')
    .columns(['hall_id', 'slot_start'])
    .execute();
  await db.schema
    .createIndex('hall_appointments_order_idx')
    .on('hall_appointments')
    .column('order_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hall_appointments').execute();
  for (const c of ['at_home', 'slot_hours', 'slot_capacity', 'slot_minutes'])
    await db.schema.alterTable('hall_items').dropColumn(c).execute();
}
