/** The rollups' lockers' labels and offline spans (the area counters' SQL is area.repository.ts). */
import type { Executor } from '../../db/database.ts';
import type { AnalyticsLockerTable, AnalyticsOfflineSpanTable } from './analytics.table.ts';

export type AnalyticsLockerRow = AnalyticsLockerTable;
export type OfflineSpanRow = AnalyticsOfflineSpanTable;

/** A locker's labels, when known. */
export async function findAnalyticsLocker(
  db: Executor,
  lockerId: string,
): Promise<AnalyticsLockerRow | undefined> {
  return db
    .selectFrom('analytics_lockers')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .executeTakeFirst();
}

/** Remember where a locker sits (first write wins; lockers do not move between compounds). */
export async function rememberLocker(db: Executor, row: AnalyticsLockerRow): Promise<void> {
  await db
    .insertInto('analytics_lockers')
    .values(row)
    .onConflict((oc) => oc.column('locker_id').doNothing())
    .execute();
}

/** Record an offline span. */
export async function insertOfflineSpan(db: Executor, row: OfflineSpanRow): Promise<void> {
  await db.insertInto('analytics_offline_spans').values(row).execute();
}

/** Offline spans after `afterId`, in id order (rebuilds). */
export async function offlineSpansPage(
  db: Executor,
  afterId: string,
  limit: number,
): Promise<OfflineSpanRow[]> {
  return db
    .selectFrom('analytics_offline_spans')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
