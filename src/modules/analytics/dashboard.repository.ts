/**
 * The dashboards' own lookups: the window type and the lockers analytics knows. The sums are
 * in area.repository.ts (one area per scope, whole months from the month tables).
 */
import type { Executor } from '../../db/database.ts';
import type { AreaWindow } from './area.repository.ts';
import type { AnalyticsLockerRow } from './rollup.repository.ts';

/**
 * What a dashboard query sums: the scope's area (`L:`/`X:`/`C:`/`S:` + id) over local days
 * `fromDay`..`toDay` (inclusive); `from`/`to` are the same window in UTC hours (`to` exclusive),
 * for rates per hour. `communityIds`/`lockerIds` name the places inside it (device health per locker).
 */
export interface Window extends AreaWindow {
  communityIds: readonly string[];
  lockerIds?: readonly string[] | null;
  from: string;
  to: string;
}

/** The lockers analytics knows in some communities (optionally one compound). */
export async function lockersIn(
  db: Executor,
  communityIds: readonly string[],
  compoundId?: string | null,
): Promise<AnalyticsLockerRow[]> {
  let q = db
    .selectFrom('analytics_lockers')
    .selectAll()
    .where('community_id', 'in', communityIds.length ? [...communityIds] : ['']);
  if (compoundId) q = q.where('compound_id', '=', compoundId);
  return q.orderBy('name').execute();
}
