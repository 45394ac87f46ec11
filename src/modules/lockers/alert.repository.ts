/** The only SQL on locker alerts. */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { LockerAlertTable } from './locker.table.ts';
import { wroteLocker } from './locker-rows.ts';

export type AlertRow = LockerAlertTable;

/** The unresolved alert with this dedup key, if any. */
export async function findOpenAlert(db: Executor, dedupKey: string): Promise<AlertRow | undefined> {
  return db
    .selectFrom('locker_alerts')
    .selectAll()
    .where('dedup_key', '=', dedupKey)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
}

/**
 * Insert an open alert and count it on its locker. The count goes up first: run outside a
 * transaction, a failure between the two leaves it too high (a needless resolve later),
 * never too low (a resolve skipped, an alert left open).
 */
export async function insertAlert(db: Executor, row: AlertRow): Promise<void> {
  await db
    .updateTable('lockers')
    .set((eb) => ({ open_alerts: eb('open_alerts', '+', 1) }))
    .where('id', '=', row.locker_id)
    .execute();
  wroteLocker(db, row.locker_id);
  await db.insertInto('locker_alerts').values(row).execute();
}

/** One alert of the locker was resolved: count it down (after the resolve, so a failure between leaves it high). */
async function uncount(db: Executor, lockerId: string): Promise<void> {
  await db
    .updateTable('lockers')
    .set({ open_alerts: sql<number>`case when open_alerts > 0 then open_alerts - 1 else 0 end` })
    .where('id', '=', lockerId)
    .execute();
  wroteLocker(db, lockerId);
}

export async function bumpAlert(
  db: Executor,
  id: string,
  nowIso: string,
  message: string,
): Promise<void> {
  await db
    .updateTable('locker_alerts')
    .set((eb) => ({ occurrences: eb('occurrences', '+', 1), last_seen_at: nowIso, message }))
    .where('id', '=', id)
    .execute();
}

export async function findAlert(db: Executor, id: string): Promise<AlertRow | undefined> {
  return db.selectFrom('locker_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function acknowledgeAlert(
  db: Executor,
  id: string,
  userId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('locker_alerts')
    .set({ status: 'acknowledged', acknowledged_at: nowIso, acknowledged_by: userId })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Resolve the unresolved alert with this key (the condition cleared); returns whether one was resolved. */
export async function resolveAlertByKey(
  db: Executor,
  dedupKey: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('locker_alerts')
    .set({ status: 'resolved', resolved_at: nowIso })
    .where('dedup_key', '=', dedupKey)
    .where('status', '<>', 'resolved')
    .returning('locker_id')
    .executeTakeFirst();
  if (r) await uncount(db, r.locker_id);
  return r !== undefined;
}

export async function resolveAlert(db: Executor, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('locker_alerts')
    .set({ status: 'resolved', resolved_at: nowIso })
    .where('id', '=', id)
    .where('status', '<>', 'resolved')
    .returning('locker_id')
    .executeTakeFirst();
  if (r) await uncount(db, r.locker_id);
  return r !== undefined;
}

/** Alerts of a community (optionally one locker, or the lockers of some sites: null = all), newest first. */
export async function listAlerts(
  db: Executor,
  f: {
    communityId: string;
    lockerId?: string;
    siteIds?: readonly string[] | null;
    status?: AlertRow['status'] | 'unresolved';
    limit: number;
    offset: number;
  },
): Promise<AlertRow[]> {
  if (f.siteIds && f.siteIds.length === 0) return [];
  let q = db.selectFrom('locker_alerts').selectAll().where('community_id', '=', f.communityId);
  if (f.lockerId) q = q.where('locker_id', '=', f.lockerId);
  if (f.siteIds)
    q = q.where('locker_id', 'in', (eb) =>
      eb.selectFrom('lockers').select('id').where('site_id', 'in', f.siteIds!),
    );
  if (f.status === 'unresolved') q = q.where('status', '<>', 'resolved');
  else if (f.status) q = q.where('status', '=', f.status);
  return q.orderBy('opened_at', 'desc').limit(f.limit).offset(f.offset).execute();
}
