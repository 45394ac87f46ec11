/** SQL for group buys and their joins. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  GroupBuyStatus,
  HallGroupBuyTable,
  HallGroupJoinTable,
  JoinStatus,
} from './hall.table.ts';

export type GroupBuyRow = Selectable<HallGroupBuyTable>;
export type JoinRow = Selectable<HallGroupJoinTable>;

/** Insert a group buy. */
export async function insertGroupBuy(db: Executor, row: GroupBuyRow): Promise<void> {
  await db.insertInto('hall_group_buys').values(row).execute();
}

/** A group buy by id. */
export async function findGroupBuy(db: Executor, id: string): Promise<GroupBuyRow | undefined> {
  return db.selectFrom('hall_group_buys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A hall's group buys: open ones and those settled since `since`. */
export async function groupBuysOfHall(
  db: Executor,
  hallId: string,
  since: string,
): Promise<GroupBuyRow[]> {
  return db
    .selectFrom('hall_group_buys')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where((eb) => eb.or([eb('status', '=', 'open'), eb('deadline', '>=', since)]))
    .orderBy('deadline')
    .limit(100)
    .execute();
}

/** Count a paid join in, only while the buy is open and before its deadline (row lock: one at a time). */
export async function addJoined(
  db: Executor,
  id: string,
  qty: number,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('hall_group_buys')
    .set((eb) => ({ joined_qty: eb('joined_qty', '+', qty) }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('deadline', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** open → confirmed once the target is reached; true for the one caller that did it. */
export async function confirmIfReached(db: Executor, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('hall_group_buys')
    .set({ status: 'confirmed', settled_at: now })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .whereRef('joined_qty', '>=', 'target_qty')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Settle a buy whose deadline passed: confirmed if the target was reached, else failed. One
 * conditional UPDATE, so of any number of nodes sweeping at once exactly one settles it.
 */
export async function settleAtDeadline(
  db: Executor,
  id: string,
  now: string,
): Promise<GroupBuyStatus | null> {
  const r = await db
    .updateTable('hall_group_buys')
    .set({
      status: sql<GroupBuyStatus>`case when joined_qty >= target_qty then 'confirmed' else 'failed' end`,
      settled_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('deadline', '<=', now)
    .returning(['status'])
    .executeTakeFirst();
  return r?.status ?? null;
}

/** Open buys whose deadline passed. */
export async function dueGroupBuys(db: Executor, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('hall_group_buys')
    .select('id')
    .where('status', '=', 'open')
    .where('deadline', '<=', now)
    .limit(200)
    .execute();
  return rows.map((r) => r.id);
}

/** Insert a join. */
export async function insertJoin(
  db: Executor,
  row: Omit<JoinRow, 'parcel_id' | 'handed_over_at'>,
): Promise<void> {
  await db
    .insertInto('hall_group_joins')
    .values({ ...row, parcel_id: null, handed_over_at: null })
    .execute();
}

/** Record a confirmed join's parcel, once per deposit: false when it already has another one. */
export async function setJoinParcel(
  db: Executor,
  id: string,
  parcelId: string,
  /** The given-up parcel this one replaces (null for the first deposit). */
  previous: string | null = null,
): Promise<boolean> {
  const r = await db
    .updateTable('hall_group_joins')
    .set({ parcel_id: parcelId })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .where((eb) =>
      previous === null ? eb('parcel_id', 'is', null) : eb('parcel_id', '=', previous),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Record a confirmed pickup join handed over, once: false when it was already. */
export async function setJoinHandedOver(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('hall_group_joins')
    .set({ handed_over_at: at })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .where('handed_over_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A join by id. */
export async function findJoin(db: Executor, id: string): Promise<JoinRow | undefined> {
  return db.selectFrom('hall_group_joins').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Joins of a buy in a state. */
export async function joinsOf(
  db: Executor,
  groupBuyId: string,
  status?: JoinStatus,
): Promise<JoinRow[]> {
  return db
    .selectFrom('hall_group_joins')
    .selectAll()
    .where('group_buy_id', '=', groupBuyId)
    .$if(!!status, (q) => q.where('status', '=', status!))
    .orderBy('created_at')
    .execute();
}

/** A user's joins of these buys. */
export async function joinsOfUser(
  db: Executor,
  userId: string,
  buyIds: readonly string[],
): Promise<JoinRow[]> {
  if (buyIds.length === 0) return [];
  return db
    .selectFrom('hall_group_joins')
    .selectAll()
    .where('user_id', '=', userId)
    .where('group_buy_id', 'in', [...buyIds])
    .execute();
}

/** Move a join between states. */
export async function setJoinStatus(
  db: Executor,
  id: string,
  from: JoinStatus,
  to: JoinStatus,
): Promise<boolean> {
  const r = await db
    .updateTable('hall_group_joins')
    .set({ status: to })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Confirm every paid join of a buy. */
export async function confirmPaidJoins(db: Executor, groupBuyId: string): Promise<void> {
  await db
    .updateTable('hall_group_joins')
    .set({ status: 'confirmed' })
    .where('group_buy_id', '=', groupBuyId)
    .where('status', '=', 'paid')
    .execute();
}

/** Number of buyers (paid or confirmed joins) per buy: a count, never who. */
export async function buyerCounts(
  db: Executor,
  buyIds: readonly string[],
): Promise<Map<string, number>> {
  if (buyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('hall_group_joins')
    .select(['group_buy_id', sql<number>`count(distinct user_id)`.as('n')])
    .where('group_buy_id', 'in', [...buyIds])
    .where('status', 'in', ['paid', 'confirmed'])
    .groupBy('group_buy_id')
    .execute();
  return new Map(rows.map((r) => [r.group_buy_id, Number(r.n)]));
}
