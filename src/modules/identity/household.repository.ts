/** SQL for home invitations and binding requests (household.table.ts). */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  HouseholdInviteTable,
  HouseholdRequestTable,
  HouseholdRequestStatus,
} from './household.table.ts';

export type InviteRow = Selectable<HouseholdInviteTable>;
export type RequestRow = Selectable<HouseholdRequestTable>;

/** Store a new invitation. */
export async function insertInvite(db: Executor, row: InviteRow): Promise<void> {
  await db.insertInto('household_invites').values(row).execute();
}

/** The invitation with this code hash, if any. */
export async function findInviteByHash(
  db: Executor,
  codeHash: string,
): Promise<InviteRow | undefined> {
  return db
    .selectFrom('household_invites')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Mark an invitation used, once: false when someone else used it first or it has expired. */
export async function claimInvite(
  db: Executor,
  id: string,
  userId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('household_invites')
    .set({ used_at: nowIso, used_by: userId })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Invitations a resident made for a unit that are still open. */
export async function openInvites(
  db: Executor,
  unitId: string,
  createdBy: string,
  nowIso: string,
): Promise<InviteRow[]> {
  return db
    .selectFrom('household_invites')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('created_by', '=', createdBy)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Store a new binding request. */
export async function insertRequest(db: Executor, row: RequestRow): Promise<void> {
  await db.insertInto('household_requests').values(row).execute();
}

/** One request by id. */
export async function findRequest(db: Executor, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom('household_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's pending request for a unit, if any. */
export async function pendingRequestFor(
  db: Executor,
  userId: string,
  unitId: string,
): Promise<RequestRow | undefined> {
  return db
    .selectFrom('household_requests')
    .selectAll()
    .where('user_id', '=', userId)
    .where('unit_id', '=', unitId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/** A user's requests, newest first. */
export async function requestsOfUser(
  db: Executor,
  userId: string,
  limit = 20,
): Promise<RequestRow[]> {
  return db
    .selectFrom('household_requests')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Requests in the given communities (null = all), oldest first, by status. */
export async function requestsInCommunities(
  db: Executor,
  communityIds: readonly string[] | null,
  status: HouseholdRequestStatus,
  limit: number,
): Promise<RequestRow[]> {
  if (communityIds !== null && communityIds.length === 0) return [];
  let q = db.selectFrom('household_requests').selectAll().where('status', '=', status);
  if (communityIds !== null) q = q.where('community_id', 'in', [...communityIds]);
  return q.orderBy('created_at').limit(limit).execute();
}

/** Move a pending request to a final status, once: false when it was no longer pending. */
export async function decideRequest(
  db: Executor,
  id: string,
  patch: {
    status: HouseholdRequestStatus;
    decided_at: string;
    decided_by: string | null;
    reason: string | null;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('household_requests')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
