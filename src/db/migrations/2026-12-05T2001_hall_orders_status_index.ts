import type { Kysely } from 'kysely';

/**
 * Issue 15: the hall sweep completes locker orders the resident took out; it finds the orders
 * still in a locker by status, oldest change first, without reading every order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('hall_orders_status_idx')
    .on('hall_orders')
    .columns(['status', 'updated_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('hall_orders_status_idx').execute();
}
