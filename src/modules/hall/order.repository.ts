/** SQL for hall orders and their lines. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { HallOrderLineTable, HallOrderTable, OrderStatus } from './hall.table.ts';

export type OrderRow = Selectable<HallOrderTable>;
export type LineRow = Selectable<HallOrderLineTable>;

/** Insert an order with its lines. */
export async function insertOrder(db: Executor, row: OrderRow, lines: LineRow[]): Promise<void> {
  await db.insertInto('hall_orders').values(row).execute();
  await db.insertInto('hall_order_lines').values(lines).execute();
}

/** An order by id. */
export async function findOrder(db: Executor, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('hall_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Orders by id. */
export async function findOrders(db: Executor, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('hall_orders')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** Lines of these orders. */
export async function linesOf(db: Executor, orderIds: readonly string[]): Promise<LineRow[]> {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('hall_order_lines')
    .selectAll()
    .where('order_id', 'in', [...orderIds])
    .orderBy('name')
    .execute();
}

/** A resident's orders, newest first. */
export async function ordersOfUser(
  db: Executor,
  userId: string,
  limit: number,
): Promise<OrderRow[]> {
  return db
    .selectFrom('hall_orders')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** A hall's orders, optionally in some states and since an instant. */
export async function ordersOfHall(
  db: Executor,
  hallId: string,
  f: { statuses?: readonly OrderStatus[]; since?: string; limit: number },
): Promise<OrderRow[]> {
  return db
    .selectFrom('hall_orders')
    .selectAll()
    .where('hall_id', '=', hallId)
    .$if(!!f.statuses?.length, (q) => q.where('status', 'in', [...f.statuses!]))
    .$if(!!f.since, (q) => q.where('created_at', '>=', f.since!))
    .orderBy('created_at')
    .limit(f.limit)
    .execute();
}

/** Move an order from one state to another; false when it was not in `from` (someone else moved it). */
export async function transition(
  db: Executor,
  id: string,
  from: readonly OrderStatus[],
  patch: Partial<Omit<OrderRow, 'id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('hall_orders')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Add to an order's refunded total. */
export async function addOrderRefund(db: Executor, id: string, amount: number, at: string) {
  await db
    .updateTable('hall_orders')
    .set((eb) => ({ refunded_fen: eb('refunded_fen', '+', amount), updated_at: at }))
    .where('id', '=', id)
    .execute();
}

/** Orders waiting in a locker, a page at a time after `after` (the sweep completes those the resident took out). */
export async function ordersInLocker(
  db: Executor,
  limit: number,
  after?: { updatedAt: string; id: string },
): Promise<OrderRow[]> {
  let q = db.selectFrom('hall_orders').selectAll().where('status', '=', 'in_locker');
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('updated_at', '>', after.updatedAt),
        eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '>', after.id)]),
      ]),
    );
  return q.orderBy('updated_at').orderBy('id').limit(limit).execute();
}

/** Unpaid orders created before `before` (their stock is held). */
export async function staleUnpaid(db: Executor, before: string): Promise<OrderRow[]> {
  return db
    .selectFrom('hall_orders')
    .selectAll()
    .where('status', '=', 'awaiting_payment')
    .where('created_at', '<', before)
    .limit(500)
    .execute();
}
