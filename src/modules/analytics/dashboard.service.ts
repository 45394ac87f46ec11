/**
 * The dashboard use cases: one scope's charts over a window of local days, from the
 * rollups only (the place tree names the scope and its children).
 */
import type { Executor } from '../../db/database.ts';
import { type Clock, SHANGHAI_OFFSET_MS, shanghaiDay } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { chart } from './charts.service.ts';
import type { Window } from './dashboard.repository.ts';
import {
  CHARTS,
  type ChartName,
  type ChartQueryT,
  type ChartTableT,
  type DashboardViewT,
  type ScopePath,
} from './dashboard.schemas.ts';
import { ratio, totals } from './figures.service.ts';
import { areaOf, dashboardScope } from './place.service.ts';

const DAY_MS = 86_400_000;
/** The longest window one request may sum. */
export const MAX_DAYS = 400;

/** The hour window of local days [from, to] (inclusive); the last 30 days by default. */
export function dayWindow(
  clock: Clock,
  q: Pick<ChartQueryT, 'from' | 'to'>,
): { from: string; to: string; fromDay: string; toDay: string } {
  const today = shanghaiDay(clock.now());
  const toDay = q.to ?? today;
  const toMs = Date.parse(`${toDay}T00:00:00Z`);
  const fromDay = q.from ?? new Date(toMs - 29 * DAY_MS).toISOString().slice(0, 10);
  const fromMs = Date.parse(`${fromDay}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to 2026-03-02: a real day reads back as itself.
  const real = (day: string, ms: number) =>
    !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
  if (!real(fromDay, fromMs) || !real(toDay, toMs))
    throw new AppError('bad_request', `日期无效。"${fromDay}" or "${toDay}" is not a real day.`);
  if (fromMs > toMs)
    throw new AppError('bad_request', '开始日期晚于结束日期。`from` is after `to`: swap them.');
  if ((toMs - fromMs) / DAY_MS + 1 > MAX_DAYS)
    throw new AppError(
      'bad_request',
      `一次最多查询 ${MAX_DAYS} 天。Ask for at most ${MAX_DAYS} days at a time.`,
    );
  const h = (ms: number) => new Date(ms - SHANGHAI_OFFSET_MS).toISOString().slice(0, 13);
  return { from: h(fromMs), to: h(toMs + DAY_MS), fromDay, toDay };
}

async function setUp(db: Executor, clock: Clock, scope: ScopePath, id: string, q: ChartQueryT) {
  const s = await dashboardScope(db, scope, id);
  const d = dayWindow(clock, q);
  const w: Window = {
    areas: [areaOf(s)],
    communityIds: s.communityIds,
    lockerIds: s.lockerIds,
    ...d,
  };
  return { s, d, w };
}

/** One chart of one scope. */
export async function dashboardChart(
  db: Executor,
  clock: Clock,
  scope: ScopePath,
  id: string,
  name: ChartName,
  q: ChartQueryT,
): Promise<ChartTableT> {
  const { s, w } = await setUp(db, clock, scope, id, q);
  return chart(db, name, s, w);
}

/** Every chart of one scope, its breadcrumb and its key figures. */
export async function dashboard(
  db: Executor,
  clock: Clock,
  scope: ScopePath,
  id: string,
  q: ChartQueryT,
): Promise<DashboardViewT> {
  const { s, d, w } = await setUp(db, clock, scope, id, q);
  const charts: ChartTableT[] = [];
  for (const c of CHARTS) charts.push(await chart(db, c, s, w));
  const t = await totals(db, w, [
    'parcel.deposits',
    'parcel.pickups',
    'parcel.overdue',
    'needs.opened',
    'hall.revenue_fen',
    'fund.income_fen',
  ]);
  return {
    scope,
    id,
    name: s.name,
    from: d.fromDay,
    to: d.toDay,
    trail: s.trail,
    charts,
    figures: {
      deposits: t.total('parcel.deposits'),
      pickups: t.total('parcel.pickups'),
      overdueRate: ratio(t.total('parcel.overdue'), t.total('parcel.deposits')),
      needsOpened: t.total('needs.opened'),
      hallRevenueFen: t.total('hall.revenue_fen'),
      fundIncomeFen: t.total('fund.income_fen'),
    },
  };
}

/** A chart as CSV (RFC 4180; a BOM so spreadsheet programs read the Chinese right). */
export function chartCsv(t: ChartTableT): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
    const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${[t.columns, ...t.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
