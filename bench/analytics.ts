/**
 * Analytics scenario (issue 18): every dashboard query at subdistrict, community, compound and
 * locker scope on the rollups, beside the same figure computed from the raw parcels table, with
 * a year of history (10,000,000 parcels over 1,500 lockers in 20 communities by default;
 * `--history N --lockers M` to change it).
 *
 * The raw parcels are generated inside SQLite (recursive INSERT … SELECT, one transaction
 * per million rows); the area rollups the dashboards read are then built from them by GROUP BY
 * at the keys the fold writes (ADR 0029 amendment), so both sides hold the same facts. The raw side gets the index a raw dashboard would want,
 * (community_id, stored_at), which the product schema does not have. Target: rollup p95 < 200 ms.
 * The short mode (CI, under 30 s) uses 50,000 parcels over 20 lockers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { dashboardChart } from '../src/modules/analytics/dashboard.service.ts';
import type { ChartName, ScopePath } from '../src/modules/analytics/dashboard.schemas.ts';
import { ManualClock } from '../src/kernel/clock.ts';
import type { ScenarioContext } from './run.ts';
import { percentile, r3 } from './stats.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1);
const CARRIERS = 8;
const COMPOUNDS_PER_COMMUNITY = 5;

/** Generate places, raw parcels and the rollups; returns seconds spent. */
function generate(file: string, parcels: number, lockers: number, communities: number) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -1048576');
  const t0 = performance.now();
  const at = new Date(NOW).toISOString();
  db.prepare(
    'insert into subdistricts (id, name, city, district, created_at) values (?,?,?,?,?)',
  ).run('sub-bench', '金泉街道(基准)', '基准市', '基准区', at);
  const insC = db.prepare(
    'insert into communities (id, subdistrict_id, name, created_at) values (?,?,?,?)',
  );
  const insX = db.prepare(
    'insert into compounds (id, community_id, name, address, created_at) values (?,?,?,?,?)',
  );
  const insL = db.prepare(
    'insert into analytics_lockers (locker_id, community_id, compound_id, name) values (?,?,?,?)',
  );
  // Five compounds per community; locker l stands in compound l mod (5 × communities), whose
  // community is l mod communities, as its parcels say.
  const compounds = communities * COMPOUNDS_PER_COMMUNITY;
  db.transaction(() => {
    for (let c = 0; c < communities; c++) insC.run(`com-${c}`, 'sub-bench', `社区${c}`, at);
    for (let x = 0; x < compounds; x++)
      insX.run(`cpd-${x}`, `com-${x % communities}`, `小区${x}`, '—', at);
    for (let l = 0; l < lockers; l++)
      insL.run(`lk-${l}`, `com-${l % communities}`, `cpd-${l % compounds}`, `柜${l}`);
  })();
  // Stored within the past year; dwell 0.5–80 h (skewed short); ~4% overdue.
  const chunk = 1_000_000;
  for (let done = 0; done < parcels; done += chunk) {
    const n = Math.min(chunk, parcels - done);
    db.exec(`
      with recursive seq(i) as (select ${done} union all select i + 1 from seq where i < ${done + n - 1}),
      r as (select i, abs(random()) % 31536000 as age, abs(random()) % 1000 as d from seq)
      insert into parcels (id, community_id, locker_id, compartment, kind, size, status, carrier_id,
        depositor_id, stored_at, picked_up_at, created_at, updated_at)
      select printf('p%010d', i), 'com-' || ((i % ${lockers}) % ${communities}), 'lk-' || (i % ${lockers}),
        i, 'delivery', 'S', case when d < 40 then 'returned' else 'picked_up' end, 'car-' || (i % ${CARRIERS}),
        'u', strftime('%Y-%m-%dT%H:%M:%fZ', ${NOW / 1000} - age, 'unixepoch'),
        strftime('%Y-%m-%dT%H:%M:%fZ', ${NOW / 1000} - age + 1800 + (d * d * 288) / 1000, 'unixepoch'),
        strftime('%Y-%m-%dT%H:%M:%fZ', ${NOW / 1000} - age, 'unixepoch'),
        strftime('%Y-%m-%dT%H:%M:%fZ', ${NOW / 1000} - age, 'unixepoch')
      from r`);
  }
  const rawSeconds = (performance.now() - t0) / 1000;
  db.exec('create index bench_parcels_community_stored on parcels (community_id, stored_at)');
  const t1 = performance.now();
  const rollupRows = buildAreas(db);
  const rollupSeconds = (performance.now() - t1) / 1000;
  db.exec('analyze');
  db.close();
  return { rawSeconds: r3(rawSeconds), rollupSeconds: r3(rollupSeconds), rollupRows };
}

/**
 * The area rollups the dashboards read, built from the raw rows by GROUP BY at the keys the fold
 * writes: each locker's (`L:`) day counters and day slots, then its compound's (`X:`), community's
 * (`C:`) and the subdistrict's (`S:`) sums of them, then the month tables from the day tables.
 * Returns the number of area rows.
 */
function buildAreas(db: SQLite.Database): number {
  const local = (col: string) => `datetime(${col}, '+8 hours')`;
  const dwell = `case
      when (julianday(picked_up_at) - julianday(stored_at)) * 24 < 1 then '<1h'
      when (julianday(picked_up_at) - julianday(stored_at)) * 24 < 4 then '1-4h'
      when (julianday(picked_up_at) - julianday(stored_at)) * 24 < 12 then '4-12h'
      when (julianday(picked_up_at) - julianday(stored_at)) * 24 < 24 then '12-24h'
      when (julianday(picked_up_at) - julianday(stored_at)) * 24 < 48 then '1-2d'
      when (julianday(picked_up_at) - julianday(stored_at)) * 24 < 72 then '2-3d' else '>3d' end`;
  // Totals per locker and local day, as the rules count them (deposits by carrier, pickups, dwell, overdue, activity).
  const days = (metric: string, col: string, dim: string, where = '1') =>
    db.exec(`insert into analytics_area_days (area, metric, day, dim, value)
      select 'L:' || locker_id, '${metric}', date(${local(col)}) as d, ${dim} as x, count(*)
      from parcels where ${where} group by locker_id, d, x`);
  days('parcel.deposits', 'stored_at', 'carrier_id');
  days('parcel.pickups', 'picked_up_at', 'carrier_id', "status = 'picked_up'");
  days('parcel.dwell', 'picked_up_at', dwell, "status = 'picked_up'");
  days('parcel.overdue', 'stored_at', 'carrier_id', "status = 'returned'");
  days('parcel.activity', 'stored_at', "'deposit'");
  days('parcel.activity', 'picked_up_at', "'pickup'", "status = 'picked_up'");
  // The hour charts' activity per locker, local day and weekday × hour slot.
  const slot = (col: string) =>
    `((cast(strftime('%w', ${local(col)}) as integer) + 6) % 7) * 24 + cast(strftime('%H', ${local(col)}) as integer)`;
  const slots = (col: string, dim: string, where = '1') =>
    db.exec(`insert into analytics_area_day_slots (area, metric, day, slot, dim, value)
      select 'L:' || locker_id, 'parcel.activity', date(${local(col)}) as d, ${slot(col)} as s, ${dim}, count(*)
      from parcels where ${where} group by locker_id, d, s`);
  slots('stored_at', "'deposit'");
  slots('picked_up_at', "'pickup'", "status = 'picked_up'");
  // The enclosing areas sum their lockers' rows; months sum days.
  for (const [table, cols] of [
    ['analytics_area_days', 'metric, day, dim'],
    ['analytics_area_day_slots', 'metric, day, slot, dim'],
  ] as const) {
    const up = (area: string) =>
      db.exec(`insert into ${table} (area, ${cols}, value)
        select ${area} as a, ${cols}, sum(value) from ${table} t
        join analytics_lockers l on t.area = 'L:' || l.locker_id
        where t.area like 'L:%' group by a, ${cols}`);
    up("'X:' || l.compound_id");
    up("'C:' || l.community_id");
    up("'S:sub-bench'");
  }
  db.exec(`insert into analytics_area_months (area, metric, month, dim, value)
    select area, metric, substr(day, 1, 7) as m, dim, sum(value) from analytics_area_days
    group by area, metric, m, dim`);
  db.exec(`insert into analytics_area_month_slots (area, metric, month, slot, dim, value)
    select area, metric, substr(day, 1, 7) as m, slot, dim, sum(value) from analytics_area_day_slots
    group by area, metric, m, slot, dim`);
  let n = 0;
  for (const t of [
    'analytics_area_days',
    'analytics_area_months',
    'analytics_area_day_slots',
    'analytics_area_month_slots',
  ])
    n += (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
  return n;
}

/** The raw-table twin of each measured chart (same window, same figure). */
function rawSql(chart: ChartName, scope: ScopePath, id: string, from: string, to: string): string {
  const where =
    scope === 'lockers'
      ? `locker_id = '${id}'`
      : scope === 'compounds'
        ? `locker_id in (select locker_id from analytics_lockers where compound_id = '${id}')`
        : scope === 'communities'
          ? `community_id = '${id}'`
          : `community_id in (select id from communities where subdistrict_id = '${id}')`;
  const win = `stored_at >= '${from}' and stored_at < '${to}'`;
  if (chart === 'carriers')
    return `select carrier_id, count(*), sum(status = 'returned') from parcels where ${where} and ${win} group by carrier_id`;
  if (chart === 'dwell')
    return `select cast((julianday(picked_up_at) - julianday(stored_at)) * 24 as int) as h, count(*) from parcels where ${where} and ${win} group by h`;
  // utilisation and peaks: deposits by hour
  return `select substr(stored_at, 1, 13) as h, count(*) from parcels where ${where} and ${win} group by h`;
}

/** The scenario. */
export async function analyticsScenario(ctx: ScenarioContext): Promise<object> {
  const parcels = ctx.short ? 50_000 : Number(ctx.args.history ?? 10_000_000);
  const lockers = ctx.short ? 20 : Number(ctx.args.lockers ?? 1500);
  const communities = ctx.short ? 2 : 20;
  const reps = ctx.short ? 5 : 40;
  // A raw subdistrict year takes tens of seconds at 10 M: fewer repetitions there (p95 of 3 is the worst).
  const rawReps = ctx.short ? 2 : parcels > 2_000_000 ? 3 : 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-analytics-'));
  const file = path.join(dir, 'bench.db');
  const handle = await openDatabase({ kind: 'sqlite', file });
  try {
    await migrateToLatest(handle.db);
    await handle.destroy();
    console.log(`generating ${parcels.toLocaleString('en')} parcels over ${lockers} lockers…`);
    const gen = generate(file, parcels, lockers, communities);
    console.log(`  ${JSON.stringify(gen)}`);
    const { db } = await openDatabase({ kind: 'sqlite', file });
    const raw = new SQLite(file, { readonly: true });
    const clock = new ManualClock(NOW - HOUR);
    const windows = [
      // Windows that cut months (the worst case: edge days read day rows, not month rows).
      {
        label: '30 days',
        from: '2026-10-17',
        to: '2026-11-15',
        rawFrom: '2026-10-16T16',
        rawTo: '2026-11-15T16',
      },
      {
        label: '365 days',
        from: '2025-11-20',
        to: '2026-11-19',
        rawFrom: '2025-11-19T16',
        rawTo: '2026-11-19T16',
      },
    ];
    const scopes: Array<[ScopePath, string]> = [
      ['subdistricts', 'sub-bench'],
      ['communities', 'com-1'],
      ['compounds', 'cpd-1'],
      ['lockers', 'lk-1'],
    ];
    const charts: ChartName[] = [
      'utilisation',
      'dwell',
      'carriers',
      'peaks',
      'devices',
      'needs',
      'hall',
      'fund',
      'places',
    ];
    const rows: Record<string, unknown>[] = [];
    for (const w of windows)
      for (const [scope, id] of scopes)
        for (const chart of charts) {
          const q = { from: w.from, to: w.to };
          await dashboardChart(db, clock, scope, id, chart, q); // warm the statement cache
          const ms: number[] = [];
          for (let i = 0; i < reps; i++) {
            const t = performance.now();
            await dashboardChart(db, clock, scope, id, chart, q);
            ms.push(performance.now() - t);
          }
          const twin = ['utilisation', 'dwell', 'carriers', 'peaks'].includes(chart);
          const rawMs: number[] = [];
          if (twin) {
            const stmt = raw.prepare(rawSql(chart, scope, id, `${w.rawFrom}`, `${w.rawTo}`));
            for (let i = 0; i < rawReps; i++) {
              const t = performance.now();
              stmt.all();
              rawMs.push(performance.now() - t);
            }
          }
          const row = {
            window: w.label,
            scope,
            chart,
            rollupP95Ms: r3(percentile(ms, 95)),
            rawP95Ms: twin ? r3(percentile(rawMs, 95)) : null,
          };
          rows.push(row);
          console.log(
            `  ${w.label.padEnd(8)} ${scope.padEnd(12)} ${chart.padEnd(11)} rollup p95 ${String(row.rollupP95Ms).padStart(8)} ms   raw p95 ${row.rawP95Ms === null ? '       —' : String(row.rawP95Ms).padStart(8)} ms`,
          );
        }
    raw.close();
    await db.destroy();
    const worst = Math.max(...rows.map((r) => r.rollupP95Ms as number));
    return {
      runs: reps,
      parcels,
      lockers,
      communities,
      generator: gen,
      targetMs: 200,
      worstRollupP95Ms: worst,
      meetsTarget: worst < 200,
      notes: [
        "Area rollups (locker, compound, community, subdistrict; per local day and month, and weekday × hour slots per local day and month) hold deposits by carrier, pickups, dwell buckets, overdue and the hour charts' activity, built from the raw rows by GROUP BY at the keys the fold writes; occupancy, device, needs, hall and fund rows are not generated (those charts read the same tables with fewer rows). The pending table is empty (in service it holds the last few seconds of increments).",
        'Windows cut months on purpose: 30 days = two partial months (all day rows); 365 days = 11 whole months + 11 and 19 edge days.',
        `Raw twins run with an extra (community_id, stored_at) index the product schema lacks; ${rawReps} repetitions each (rollups: ${reps}).`,
      ],
      queries: rows,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
