import { type Kysely, sql } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * The community service hall (issue 15, docs/hall.md): catalogue, orders, payments and
 * refunds, group buys, space bookings and the named counters that keep stock and slots
 * from overshooting under concurrency.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('hall_profiles')
    .addColumn('hall_id', 'text', (c) => c.primaryKey().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hall_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('stock', 'integer')
    .addColumn('low_stock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('photos', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('hall_items_stock_ck', sqlCheck('stock is null or stock >= 0'))
    .execute();
  await db.schema
    .createIndex('hall_items_hall_idx')
    .on('hall_items')
    .columns(['hall_id', 'category'])
    .execute();

  await db.schema
    .createTable('hall_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fulfilment', 'text', (c) => c.notNull())
    .addColumn('total_fen', 'integer', (c) => c.notNull())
    .addColumn('refunded_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text')
    .addColumn('parcel_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('paid_at', ts)
    .execute();
  await db.schema
    .createIndex('hall_orders_user_idx')
    .on('hall_orders')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('hall_orders_hall_idx')
    .on('hall_orders')
    .columns(['hall_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('hall_order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull().references('hall_orders.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hall_order_lines_pk', ['order_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('hall_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('refunded_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('paid_at', ts)
    .execute();
  await db.schema
    .createIndex('hall_payments_subject_idx')
    .on('hall_payments')
    .columns(['subject_kind', 'subject_id'])
    .execute();

  await db.schema
    .createTable('hall_payment_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('hall_payment_events_pk', ['provider', 'event_id'])
    .execute();

  await db.schema
    .createTable('hall_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('hall_payments.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hall_group_buys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('target_qty', 'integer', (c) => c.notNull())
    .addColumn('joined_qty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadline', ts, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposer_kind', 'text', (c) => c.notNull())
    .addColumn('settled_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hall_group_buys_due_idx')
    .on('hall_group_buys')
    .columns(['status', 'deadline'])
    .execute();

  await db.schema
    .createTable('hall_group_joins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_buy_id', 'text', (c) => c.notNull().references('hall_group_buys.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('fulfilment', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hall_group_joins_buy_idx')
    .on('hall_group_joins')
    .columns(['group_buy_id', 'status'])
    .execute();

  await db.schema
    .createTable('hall_spaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('approval_over', 'integer')
    .addColumn('slot_minutes', 'integer', (c) => c.notNull())
    .addColumn('open_hour', 'integer', (c) => c.notNull())
    .addColumn('close_hour', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hall_bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('space_id', 'text', (c) => c.notNull().references('hall_spaces.id'))
    .addColumn('hall_id', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('slot_start', ts, (c) => c.notNull())
    .addColumn('slot_end', ts, (c) => c.notNull())
    .addColumn('party_size', 'integer', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checkin_code', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hall_bookings_day_idx')
    .on('hall_bookings')
    .columns(['hall_id', 'slot_start'])
    .execute();
  await db.schema
    .createIndex('hall_bookings_user_idx')
    .on('hall_bookings')
    .columns(['user_id', 'slot_start'])
    .execute();

  await db.schema
    .createTable('hall_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute();
}

function sqlCheck(expr: string) {
  return sql.raw(expr);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'hall_counters',
    'hall_bookings',
    'hall_spaces',
    'hall_group_joins',
    'hall_group_buys',
    'hall_refunds',
    'hall_payment_events',
    'hall_payments',
    'hall_order_lines',
    'hall_orders',
    'hall_items',
    'hall_profiles',
  ])
    await db.schema.dropTable(t).execute();
}
