/**
 * The three rates of 接诉即办 over a period, per community, grid or assignee (ADR 0024):
 *   response rate     = requests first answered (accepted or replied) by respond_by / requests received
 *   resolution rate   = requests replied by their deadline and not declined / requests received (declined excluded)
 *   satisfaction rate = ratings of 4 or 5 / ratings given
 * plus counts, open and overdue. The dashboards call needRates(); GET /needs/rates shows it.
 */
import type { Executor } from '../../db/database.ts';
import * as repo from './rates.repository.ts';

/** What to measure. */
export interface RatesFilter {
  /** null = every community (platform staff). */
  communityIds: readonly string[] | null;
  from: string;
  to: string;
  by: 'community' | 'grid' | 'assignee';
  now: number;
}

/** One group's numbers; rates are 0–1, or null when nothing was counted. */
export interface RateRow {
  key: string | null;
  received: number;
  responded: number;
  respondedInTime: number;
  resolved: number;
  resolvedInTime: number;
  declined: number;
  open: number;
  overdue: number;
  rated: number;
  satisfied: number;
  averageRating: number | null;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

const OPEN = new Set(['received', 'dispatched', 'in_progress', 'reopened']);
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

/** Rates per group over the period, largest groups first. */
export async function needRates(db: Executor, f: RatesFilter): Promise<RateRow[]> {
  const facts = await repo.factsBetween(db, f.communityIds, f.from, f.to);
  const groups = new Map<string | null, repo.RateFacts[]>();
  for (const r of facts) {
    const k = f.by === 'community' ? r.community_id : f.by === 'grid' ? r.grid_id : r.assignee_id;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: RateRow[] = [];
  for (const [key, rows] of groups) {
    const declined = rows.filter((r) => r.status === 'declined').length;
    const responded = rows.filter((r) => r.responded_at !== null);
    const inTime = responded.filter((r) => Date.parse(r.responded_at!) <= Date.parse(r.respond_by));
    const resolved = rows.filter((r) => r.status === 'replied' || r.status === 'closed');
    const resolvedInTime = resolved.filter(
      (r) => Date.parse(r.replied_at!) <= Date.parse(r.due_at),
    );
    const open = rows.filter((r) => OPEN.has(r.status));
    const rated = rows.filter((r) => r.rating !== null);
    const satisfied = rated.filter((r) => r.rating! >= 4).length;
    out.push({
      key,
      received: rows.length,
      responded: responded.length,
      respondedInTime: inTime.length,
      resolved: resolved.length,
      resolvedInTime: resolvedInTime.length,
      declined,
      open: open.length,
      overdue: open.filter((r) => Date.parse(r.due_at) < f.now).length,
      rated: rated.length,
      satisfied,
      averageRating: rated.length
        ? Math.round((rated.reduce((a, r) => a + r.rating!, 0) / rated.length) * 100) / 100
        : null,
      responseRate: ratio(inTime.length, rows.length),
      resolutionRate: ratio(resolvedInTime.length, rows.length - declined),
      satisfactionRate: ratio(satisfied, rated.length),
    });
  }
  return out.sort((a, b) => b.received - a.received);
}
