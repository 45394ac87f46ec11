/**
 * The only SQL on activities and their sign-ups. Every change to an activity's sign-ups
 * first takes the activity's row lock with a conditional UPDATE (claimSeat, takeSeq,
 * lockActivity), so concurrent sign-ups and cancellations are serialised per activity on
 * PostgreSQL as on SQLite, and the counts never drift from the rows.
 */
import type { Executor } from '../../db/database.ts';
import type { ActivitySignupFact } from './activity.events.ts';
import type { Audience } from './audience.ts';
import { type ManagedFilter, managedBy, reachesAudience } from './notice.repository.ts';
import type { ActivitySignupTable, ActivityTable, SignupStatus } from './notice.table.ts';

export type ActivityRow = ActivityTable;
export type SignupRow = ActivitySignupTable;

export async function insertActivity(db: Executor, row: ActivityRow): Promise<void> {
  await db.insertInto('activities').values(row).execute();
}

export async function findActivity(db: Executor, id: string): Promise<ActivityRow | undefined> {
  return db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Take a confirmed seat if one is free; returns the new sequence number, or null when full. */
export async function claimSeat(db: Executor, id: string, nowIso: string): Promise<number | null> {
  const r = await db
    .updateTable('activities')
    .set((eb) => ({
      confirmed_count: eb('confirmed_count', '+', 1),
      signup_seq: eb('signup_seq', '+', 1),
      updated_at: nowIso,
    }))
    .where('id', '=', id)
    .whereRef('confirmed_count', '<', 'capacity')
    .returning('signup_seq')
    .executeTakeFirst();
  return r ? r.signup_seq : null;
}

/** Take the next sequence number without a seat (a place on the waiting list). */
export async function takeSeq(db: Executor, id: string, nowIso: string): Promise<number> {
  const r = await db
    .updateTable('activities')
    .set((eb) => ({ signup_seq: eb('signup_seq', '+', 1), updated_at: nowIso }))
    .where('id', '=', id)
    .returning('signup_seq')
    .executeTakeFirstOrThrow();
  return r.signup_seq;
}

/** Lock the activity's row for a cancellation; adds `seatDelta` to its confirmed count. */
export async function lockActivity(
  db: Executor,
  id: string,
  seatDelta: number,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('activities')
    .set((eb) => ({ confirmed_count: eb('confirmed_count', '+', seatDelta), updated_at: nowIso }))
    .where('id', '=', id)
    .execute();
}

export async function setActivityStatus(
  db: Executor,
  id: string,
  status: ActivityRow['status'],
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('activities')
    .set({ status, updated_at: nowIso })
    .where('id', '=', id)
    .execute();
}

/** Activities reaching the audience that have not ended, soonest first. */
export async function upcomingActivities(
  db: Executor,
  a: Audience,
  nowIso: string,
  limit: number,
): Promise<ActivityRow[]> {
  if (a.subdistricts.length === 0) return [];
  return db
    .selectFrom('activities')
    .selectAll()
    .where(reachesAudience(a))
    .where('ends_at', '>', nowIso)
    .orderBy('starts_at')
    .limit(limit)
    .execute();
}

/** Activities a staff member manages, newest start first. */
export async function managedActivities(
  db: Executor,
  f: ManagedFilter,
  limit: number,
  offset: number,
): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where(managedBy(f))
    .orderBy('starts_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function findSignup(
  db: Executor,
  activityId: string,
  userId: string,
): Promise<SignupRow | undefined> {
  return db
    .selectFrom('activity_signups')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function insertSignup(db: Executor, row: SignupRow): Promise<void> {
  await db.insertInto('activity_signups').values(row).execute();
}

/** Sign-ups to a community's activities after `afterId`, in id order, as facts (analytics' rebuild). */
export async function signupFactsPage(
  db: Executor,
  afterId: string,
  limit: number,
): Promise<ActivitySignupFact[]> {
  const rows = await db
    .selectFrom('activity_signups')
    .select(['id', 'community_id', 'activity_id', 'created_at'])
    .where('community_id', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id!,
    activityId: r.activity_id,
    at: r.created_at,
  }));
}

/** Move a sign-up from one of `from` to `to`; false when it was not in `from` (someone else moved it first). */
export async function moveSignup(
  db: Executor,
  id: string,
  from: readonly SignupStatus[],
  to: SignupStatus,
  nowIso: string,
  seq?: number,
): Promise<boolean> {
  const r = await db
    .updateTable('activity_signups')
    .set({
      status: to,
      updated_at: nowIso,
      ...(seq !== undefined ? { seq, reminded_at: null } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The first resident on the waiting list. */
export async function firstWaiting(
  db: Executor,
  activityId: string,
): Promise<SignupRow | undefined> {
  return db
    .selectFrom('activity_signups')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('status', '=', 'waiting')
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

/** How many wait ahead of sequence number `seq`. */
export async function waitingAhead(db: Executor, activityId: string, seq: number): Promise<number> {
  const r = await db
    .selectFrom('activity_signups')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('activity_id', '=', activityId)
    .where('status', '=', 'waiting')
    .where('seq', '<', seq)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Live (confirmed and waiting) sign-ups of an activity in list order. */
export async function liveSignups(db: Executor, activityId: string): Promise<SignupRow[]> {
  return db
    .selectFrom('activity_signups')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('status', 'in', ['confirmed', 'waiting'])
    .orderBy('status')
    .orderBy('seq')
    .execute();
}

/** How many wait on each of the activities. */
export async function waitingCounts(
  db: Executor,
  activityIds: readonly string[],
): Promise<Map<string, number>> {
  if (activityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('activity_signups')
    .select(['activity_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('activity_id', 'in', activityIds)
    .where('status', '=', 'waiting')
    .groupBy('activity_id')
    .execute();
  return new Map(rows.map((r) => [r.activity_id, Number(r.n)]));
}

/** One user's live sign-ups on the given activities. */
export async function signupsOf(
  db: Executor,
  userId: string,
  activityIds?: readonly string[],
): Promise<SignupRow[]> {
  let q = db
    .selectFrom('activity_signups')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', 'in', ['confirmed', 'waiting']);
  if (activityIds) {
    if (activityIds.length === 0) return [];
    q = q.where('activity_id', 'in', activityIds);
  }
  return q.orderBy('created_at', 'desc').limit(200).execute();
}

/** Confirmed sign-ups not yet reminded, of open activities starting in (fromIso, toIso]. */
export async function dueReminders(
  db: Executor,
  fromIso: string,
  toIso: string,
  limit: number,
): Promise<(SignupRow & { title: string; starts_at: string; location: string })[]> {
  return db
    .selectFrom('activity_signups as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .selectAll('s')
    .select(['a.title', 'a.starts_at', 'a.location'])
    .where('s.status', '=', 'confirmed')
    .where('s.reminded_at', 'is', null)
    .where('a.status', '=', 'open')
    .where('a.starts_at', '>', fromIso)
    .where('a.starts_at', '<=', toIso)
    .limit(limit)
    .execute();
}

/** Claim one reminder (so two nodes never text the same person twice); true when this call won. */
export async function claimReminder(
  db: Executor,
  signupId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('activity_signups')
    .set({ reminded_at: nowIso })
    .where('id', '=', signupId)
    .where('reminded_at', 'is', null)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
