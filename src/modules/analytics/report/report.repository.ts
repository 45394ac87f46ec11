/** The only SQL on monthly reports. */
import type { Executor } from '../../../db/database.ts';
import type { MonthlyReportTable } from './report.table.ts';

export type ReportRow = MonthlyReportTable;

/** Store a report, replacing the community's report of that month (on-demand regeneration). */
export async function upsertReport(db: Executor, row: ReportRow): Promise<void> {
  await db
    .insertInto('analytics_monthly_reports')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['community_id', 'month']).doUpdateSet({
        data_json: row.data_json,
        trigger: row.trigger,
        generated_at: row.generated_at,
      }),
    )
    .execute();
}

/** Store a report unless the month has one already (the scheduled run; another node may have won). */
export async function insertReportIfAbsent(db: Executor, row: ReportRow): Promise<boolean> {
  const r = await db
    .insertInto('analytics_monthly_reports')
    .values(row)
    .onConflict((oc) => oc.columns(['community_id', 'month']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** One community's report of a month. */
export async function findReport(
  db: Executor,
  communityId: string,
  month: string,
): Promise<ReportRow | undefined> {
  return db
    .selectFrom('analytics_monthly_reports')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('month', '=', month)
    .executeTakeFirst();
}

/** A community's reports, newest month first (without their figures). */
export async function listReports(
  db: Executor,
  communityId: string,
  limit: number,
): Promise<Omit<ReportRow, 'data_json'>[]> {
  return db
    .selectFrom('analytics_monthly_reports')
    .select(['id', 'community_id', 'month', 'trigger', 'generated_at'])
    .where('community_id', '=', communityId)
    .orderBy('month', 'desc')
    .limit(limit)
    .execute();
}

/** Which of some communities already have their report of a month. */
export async function communitiesWithReport(
  db: Executor,
  communityIds: readonly string[],
  month: string,
): Promise<Set<string>> {
  if (communityIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('analytics_monthly_reports')
    .select('community_id')
    .where('month', '=', month)
    .where('community_id', 'in', communityIds)
    .execute();
  return new Set(rows.map((r) => r.community_id));
}
