/** The only SQL that writes the rollups (and their lockers' labels and offline spans). */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  AnalyticsDailyTable,
  AnalyticsHourlyTable,
  AnalyticsLockerTable,
  AnalyticsOfflineSpanTable,
} from './analytics.table.ts';
import { type Increment, localDayOf } from './rollup-rules.ts';

export type HourlyRow = AnalyticsHourlyTable;
export type DailyRow = AnalyticsDailyTable;
export type AnalyticsLockerRow = AnalyticsLockerTable;
export type OfflineSpanRow = AnalyticsOfflineSpanTable;

const KEY = ['community_id', 'locker_id', 'metric', 'hour', 'dim'] as const;

/**
 * The rows a list of increments adds to: a locker's increment to the locker's row, a community-wide
 * one (needs, hall, fund) to the community's row (`locker_id` ''). A community's figures are the sum
 * of all its rows. A locker's increment is not also added to a community row: every parcel step in a
 * community would update that one row and wait on its lock until commit, serialising a community's
 * parcel traffic on PostgreSQL (ADR 0029). Increments to the same row are merged (PostgreSQL refuses
 * one upsert touching a row twice).
 */
export function rowsOf(incs: readonly Increment[]): HourlyRow[] {
  const rows = new Map<string, HourlyRow>();
  const add = (r: HourlyRow) => {
    const k = `${r.community_id}|${r.locker_id}|${r.metric}|${r.hour}|${r.dim}`;
    const had = rows.get(k);
    if (had) had.value += r.value;
    else rows.set(k, { ...r });
  };
  for (const i of incs) {
    const base = { community_id: i.communityId, metric: i.metric, hour: i.hour, dim: i.dim };
    add({ ...base, locker_id: i.lockerId ?? '', value: i.value });
  }
  return [...rows.values()];
}

/** The daily rows hourly rows add to (merged by local day). */
export function dailyOf(rows: readonly HourlyRow[]): DailyRow[] {
  const days = new Map<string, DailyRow>();
  for (const { hour, ...r } of rows) {
    const day = localDayOf(hour);
    const k = `${r.community_id}|${r.locker_id}|${r.metric}|${day}|${r.dim}`;
    const had = days.get(k);
    if (had) had.value += r.value;
    else days.set(k, { ...r, day });
  }
  return [...days.values()];
}

/** Add rows to the hourly and daily counters (insert or add to what is there). */
export async function addToCounters(db: Executor, rows: readonly HourlyRow[]): Promise<void> {
  // 6 columns × 400 rows stays far below both dialects' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto('analytics_hourly')
      .values(rows.slice(i, i + 400))
      .onConflict((oc) =>
        oc.columns(KEY).doUpdateSet({ value: sql`analytics_hourly.value + excluded.value` }),
      )
      .execute();
  const daily = dailyOf(rows);
  for (let i = 0; i < daily.length; i += 400)
    await db
      .insertInto('analytics_daily')
      .values(daily.slice(i, i + 400))
      .onConflict((oc) =>
        oc
          .columns(['community_id', 'locker_id', 'metric', 'day', 'dim'])
          .doUpdateSet({ value: sql`analytics_daily.value + excluded.value` }),
      )
      .execute();
}

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

/** Forget every counter (the rebuild's first step, in its transaction). */
export async function clearCounters(db: Executor): Promise<void> {
  await db.deleteFrom('analytics_hourly').execute();
  await db.deleteFrom('analytics_daily').execute();
}

/** Every counter, hourly then daily (a daily row's `hour` is `day:<day>`), sorted: tests compare rollups with a recomputation. */
export async function allCounters(db: Executor): Promise<HourlyRow[]> {
  const hourly = await db
    .selectFrom('analytics_hourly')
    .selectAll()
    .orderBy('community_id')
    .orderBy('locker_id')
    .orderBy('metric')
    .orderBy('hour')
    .orderBy('dim')
    .execute();
  const daily = await db
    .selectFrom('analytics_daily')
    .selectAll()
    .orderBy('community_id')
    .orderBy('locker_id')
    .orderBy('metric')
    .orderBy('day')
    .orderBy('dim')
    .execute();
  return [...hourly, ...daily.map(({ day, ...r }) => ({ ...r, hour: `day:${day}` }))];
}
