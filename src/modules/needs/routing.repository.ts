/** SQL of routing rules and hand-offs to outside institutions. */
import type { Executor } from '../../db/database.ts';
import type { NeedHandoffTable, NeedRouteTable } from './need.table.ts';

export type RouteRow = NeedRouteTable;
export type HandoffRow = NeedHandoffTable;

/** A community's routing rules. */
export async function routesOf(db: Executor, communityId: string): Promise<RouteRow[]> {
  return db
    .selectFrom('need_routes')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .execute();
}

/** Add a routing rule. */
export async function insertRoute(db: Executor, row: RouteRow): Promise<void> {
  await db.insertInto('need_routes').values(row).execute();
}

/** Remove a routing rule of a community; true when it existed. */
export async function deleteRoute(db: Executor, communityId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('need_routes')
    .where('id', '=', id)
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Record a hand-off. */
export async function insertHandoff(db: Executor, row: HandoffRow): Promise<void> {
  await db.insertInto('need_handoffs').values(row).execute();
}

/** A request's hand-offs, oldest first. */
export async function handoffsOf(db: Executor, needId: string): Promise<HandoffRow[]> {
  return db
    .selectFrom('need_handoffs')
    .selectAll()
    .where('need_id', '=', needId)
    .orderBy('created_at')
    .execute();
}
