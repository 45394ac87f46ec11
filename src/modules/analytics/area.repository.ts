/**
 * The area rollups' SQL (ADR 0029 amendment): events append increments to `analytics_pending`;
 * `foldPending` moves them into per-area day, month and weekday × hour tables; reads sum whole
 * local months from the month tables, the days at the window's edges from the day tables, and
 * add the pending rows — all in one statement, so a fold committing meanwhile is seen whole or
 * not at all.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { perValue, prepareRows } from '../../db/prepared.ts';
import type { AnalyticsPendingTable } from './analytics.table.ts';
import { type Metric, SLOT_METRICS } from './rollup-rules.ts';

export type PendingRow = AnalyticsPendingTable;

/** Which area rows a read sums, over local days `fromDay`..`toDay` (inclusive). */
export interface AreaWindow {
  areas: readonly string[];
  fromDay: string;
  toDay: string;
}

const PENDING_COLUMNS = [
  'area',
  'compound_area',
  'community_area',
  'subdistrict_area',
  'metric',
  'day',
  'slot',
  'dim',
  'value',
] as const;

/** The columns naming the areas a pending row counts in: its own, then the places above it. */
const PENDING_AREAS = ['area', 'compound_area', 'community_area', 'subdistrict_area'] as const;
const pendingInsert = prepareRows<PendingRow>(PENDING_COLUMNS, (db, rows) =>
  db.insertInto('analytics_pending').values(rows as never),
);

/** Append increments for the fold (insert only: no row another writer waits on). */
export async function addPending(db: Executor, rows: readonly PendingRow[]): Promise<void> {
  await pendingInsert.write(db, rows);
}

type AreaTable =
  | 'analytics_area_days'
  | 'analytics_area_months'
  | 'analytics_area_day_slots'
  | 'analytics_area_month_slots';

/** An area table's row, as the fold adds to it. */
interface Counter {
  area: string;
  metric: string;
  day?: string;
  month?: string;
  slot?: number;
  dim: string;
  value: number;
}

const AREA_KEYS: Record<AreaTable, readonly (keyof Counter & string)[]> = {
  analytics_area_days: ['area', 'metric', 'day', 'dim'],
  analytics_area_months: ['area', 'metric', 'month', 'dim'],
  analytics_area_day_slots: ['area', 'metric', 'day', 'slot', 'dim'],
  analytics_area_month_slots: ['area', 'metric', 'month', 'slot', 'dim'],
};

/** Each area table's upsert: a row new to the table is inserted, a known one adds its value. */
const areaUpsert = perValue((table: AreaTable) =>
  prepareRows<Counter>([...AREA_KEYS[table], 'value'], (db, rows) =>
    db
      .insertInto(table)
      .values(rows as never)
      .onConflict((oc) =>
        oc
          .columns(AREA_KEYS[table] as never)
          .doUpdateSet({ value: sql`${sql.ref(`${table}.value`)} + excluded.value` } as never),
      ),
  ),
);

/** Sum `value` into the row of `key` (made by `make` the first time). */
function bump(out: Map<string, Counter>, key: string, value: number, make: () => Counter) {
  const had = out.get(key);
  if (had) had.value += value;
  else out.set(key, make());
}

/**
 * Fold pending increments into the area tables, inside the caller's transaction: every pending
 * row, or at most `limit` of them. The rows deleted are exactly the rows added (DELETE …
 * RETURNING), so a crash keeps both or neither and two folds never count a row twice. Returns
 * how many pending rows were folded.
 */
export async function foldPending(trx: Executor, limit?: number): Promise<number> {
  const rows = limit === undefined ? await takeAllPending(trx) : await takePending(trx, limit);
  if (!rows.length) return 0;
  // Merged by key first: a key's rows become one upsert row (the area tables' unique keys).
  const days = new Map<string, Counter>();
  const months = new Map<string, Counter>();
  const daySlots = new Map<string, Counter>();
  const monthSlots = new Map<string, Counter>();
  // A row counts in its own area and in each area above it that it names.
  const countIn = (area: string, r: PendingRow) => {
    const { metric, day, dim, value } = r;
    const month = day.slice(0, 7);
    const k = `${area}\u0000${metric}\u0000${dim}\u0000`;
    bump(days, k + day, value, () => ({ area, metric, day, dim, value }));
    bump(months, k + month, value, () => ({ area, metric, month, dim, value }));
    if (SLOT_METRICS.includes(metric as Metric)) {
      const slot = Number(r.slot);
      bump(daySlots, `${k}${day}\u0000${slot}`, value, () => ({
        area,
        metric,
        day,
        slot,
        dim,
        value,
      }));
      bump(monthSlots, `${k}${month}\u0000${slot}`, value, () => ({
        area,
        metric,
        month,
        slot,
        dim,
        value,
      }));
    }
  };
  for (const r of rows)
    for (const col of PENDING_AREAS) {
      const area = r[col];
      if (area) countIn(area, r);
    }
  await areaUpsert('analytics_area_days').write(trx, [...days.values()]);
  await areaUpsert('analytics_area_months').write(trx, [...months.values()]);
  await areaUpsert('analytics_area_day_slots').write(trx, [...daySlots.values()]);
  await areaUpsert('analytics_area_month_slots').write(trx, [...monthSlots.values()]);
  return rows.length;
}

const takeAllPending = (trx: Executor) =>
  trx.deleteFrom('analytics_pending').returningAll().execute();

/**
 * Delete and return up to `limit` pending rows (the table has no key: SQLite's rowid,
 * PostgreSQL's ctid). On SQLite the subquery walks `analytics_pending_area_idx`, so a chunk's
 * rows share areas and merge into fewer upsert rows: without the index a fold cost twice as
 * much per row (rows in insertion order, from many lockers), though each insert cost less.
 */
async function takePending(trx: Executor, limit: number): Promise<PendingRow[]> {
  const id = sql.raw(trx.getExecutor().adapter instanceof PostgresAdapter ? 'ctid' : 'rowid');
  const r =
    await sql<PendingRow>`delete from analytics_pending where ${id} in (select ${id} from analytics_pending limit ${limit}) returning *`.execute(
      trx,
    );
  return r.rows;
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A window of local days as whole months (`YYYY-MM` range, or null) and the days around them. */
export function splitWindow(
  fromDay: string,
  toDay: string,
): { months: [string, string] | null; days: Array<[string, string]> } {
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${toDay}T00:00:00Z`);
  const f = new Date(from);
  // The first month that starts on or after `from`, and the first that starts after `to`.
  const first = fromDay.endsWith('-01')
    ? from
    : Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + 1, 1);
  const t = new Date(to + DAY_MS);
  const end = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1); // start of the month after the last whole one
  if (first >= end) return { months: null, days: [[fromDay, toDay]] };
  const days: Array<[string, string]> = [];
  if (from < first) days.push([fromDay, dayOf(first - DAY_MS)]);
  if (end <= to) days.push([dayOf(end), toDay]);
  return { months: [dayOf(first).slice(0, 7), dayOf(end - DAY_MS).slice(0, 7)], days };
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * The pending rows that count in one of `areas` through column `col` (a row's own area, or one
 * above it), over local days `from`..`to`. A read unions one such select per area column; only
 * `area` is indexed, and the others scan a table that holds what the last seconds appended.
 */
const pendingThrough = (
  db: Executor,
  col: (typeof PENDING_AREAS)[number],
  areas: string[],
  metrics: string[],
  from: string,
  to: string,
) =>
  db
    .selectFrom('analytics_pending')
    .where(col, 'in', areas)
    .where('metric', 'in', metrics)
    .where('day', '>=', from)
    .where('day', '<=', to);

/** The rows of a window, before grouping: pending increments, edge days and months (one union). */
function windowRows(db: Executor, w: AreaWindow, metrics: readonly Metric[], slots: boolean) {
  const areas = w.areas.length ? [...w.areas] : ['-'];
  const ms = [...metrics];
  const { months, days } = splitWindow(w.fromDay, w.toDay);
  // Each pending row once per requested area it counts in, under that area's name.
  const [own, ...above] = PENDING_AREAS.map((col) =>
    pendingThrough(db, col, areas, ms, w.fromDay, w.toDay).select([
      sql<string>`${sql.ref(col)}`.as('area'),
      'metric',
      'dim',
      'slot',
      'value',
    ]),
  );
  let q = above.reduce((u, s) => u.unionAll(s), own!);
  // Same column order as the pending select (UNION ALL matches by position); the total tables
  // have no slot, so they give 0 (only slot queries group by it).
  const slot = slots ? sql<number>`slot`.as('slot') : sql<number>`0`.as('slot');
  const dayTable = slots ? 'analytics_area_day_slots' : 'analytics_area_days';
  const monthTable = slots ? 'analytics_area_month_slots' : 'analytics_area_months';
  for (const [a, b] of days)
    q = q.unionAll(
      db
        .selectFrom(dayTable as 'analytics_area_days')
        .select(['area', 'metric', 'dim', slot, 'value'])
        .where('area', 'in', areas)
        .where('metric', 'in', ms)
        .where('day', '>=', a)
        .where('day', '<=', b),
    );
  if (months)
    q = q.unionAll(
      db
        .selectFrom(monthTable as 'analytics_area_months')
        .select(['area', 'metric', 'dim', slot, 'value'])
        .where('area', 'in', areas)
        .where('metric', 'in', ms)
        .where('month', '>=', months[0])
        .where('month', '<=', months[1]),
    );
  return db.selectFrom(q.as('u'));
}

/** Totals per metric and breakdown over the window's areas. */
export async function areaSumByDim(db: Executor, w: AreaWindow, metrics: readonly Metric[]) {
  const rows = await windowRows(db, w, metrics, false)
    .select(['metric', 'dim', (eb) => eb.fn.sum<number>('value').as('value')])
    .groupBy(['metric', 'dim'])
    .execute();
  return rows.map((r) => ({ metric: r.metric, dim: r.dim, value: num(r.value) }));
}

/** Totals per area and metric (drill-down: each area a child place). */
export async function areaSumByArea(db: Executor, w: AreaWindow, metrics: readonly Metric[]) {
  const rows = await windowRows(db, w, metrics, false)
    .select(['area', 'metric', (eb) => eb.fn.sum<number>('value').as('value')])
    .groupBy(['area', 'metric'])
    .execute();
  return rows.map((r) => ({ area: r.area, metric: r.metric, value: num(r.value) }));
}

/** Totals per metric, local weekday × hour slot and breakdown (hour charts; SLOT_METRICS only). */
export async function areaSumBySlot(db: Executor, w: AreaWindow, metrics: readonly Metric[]) {
  const rows = await windowRows(db, w, metrics, true)
    .select(['metric', 'slot', 'dim', (eb) => eb.fn.sum<number>('value').as('value')])
    .groupBy(['metric', 'slot', 'dim'])
    .execute();
  return rows.map((r) => ({
    metric: r.metric,
    slot: num(r.slot),
    dim: r.dim,
    value: num(r.value),
  }));
}

/** Totals per metric and local day (day series; reads day rows, never months). */
export async function areaSumByDay(db: Executor, w: AreaWindow, metrics: readonly Metric[]) {
  const areas = w.areas.length ? [...w.areas] : ['-'];
  const ms = [...metrics];
  const folded = db
    .selectFrom('analytics_area_days')
    .select(['metric', 'day', 'value'])
    .where('area', 'in', areas)
    .where('metric', 'in', ms)
    .where('day', '>=', w.fromDay)
    .where('day', '<=', w.toDay);
  const all = PENDING_AREAS.reduce(
    (u, col) =>
      u.unionAll(
        pendingThrough(db, col, areas, ms, w.fromDay, w.toDay).select(['metric', 'day', 'value']),
      ),
    folded,
  );
  const rows = await db
    .selectFrom(all.as('u'))
    .select(['metric', 'day', (eb) => eb.fn.sum<number>('value').as('value')])
    .groupBy(['metric', 'day'])
    .execute();
  return rows.map((r) => ({ metric: r.metric, day: r.day, value: num(r.value) }));
}

/** Forget the area counters and pending increments (a rebuild's first step). */
export async function clearAreas(db: Executor): Promise<void> {
  for (const t of [
    'analytics_pending',
    'analytics_area_days',
    'analytics_area_months',
    'analytics_area_day_slots',
    'analytics_area_month_slots',
  ] as const)
    await db.deleteFrom(t).execute();
}

/** Every area counter as `table|area|metric|period|slot|dim → value`, sorted (tests). */
export async function allAreaCounters(db: Executor): Promise<string[]> {
  const out: string[] = [];
  const pending = await db
    .selectFrom('analytics_pending')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  out.push(`pending=${num(pending.n)}`);
  for (const r of await db.selectFrom('analytics_area_days').selectAll().execute())
    out.push(`d|${r.area}|${r.metric}|${r.day}||${r.dim}=${r.value}`);
  for (const r of await db.selectFrom('analytics_area_months').selectAll().execute())
    out.push(`m|${r.area}|${r.metric}|${r.month}||${r.dim}=${r.value}`);
  for (const r of await db.selectFrom('analytics_area_day_slots').selectAll().execute())
    out.push(`ds|${r.area}|${r.metric}|${r.day}|${r.slot}|${r.dim}=${r.value}`);
  for (const r of await db.selectFrom('analytics_area_month_slots').selectAll().execute())
    out.push(`ms|${r.area}|${r.metric}|${r.month}|${r.slot}|${r.dim}=${r.value}`);
  return out.sort();
}
