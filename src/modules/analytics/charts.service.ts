/**
 * Each dashboard chart as a small table, summed from the rollups of one scope and window.
 * Charts by hour of day and weekday read local (Asia/Shanghai) weekday × hour slots.
 */
import type { Executor } from '../../db/database.ts';
import { areaSumByArea, areaSumByDay, areaSumByDim, areaSumBySlot } from './area.repository.ts';
import { type Window, lockersIn } from './dashboard.repository.ts';
import type { ChartName, ChartTableT } from './dashboard.schemas.ts';
import { carrierFigures, ratio, totals } from './figures.service.ts';
import { type DashboardScope, areaOf } from './place.service.ts';
import { DWELL_BUCKETS, type Metric } from './rollup-rules.ts';

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

const table = (
  chart: ChartName,
  title: string,
  columns: string[],
  rows: ChartTableT['rows'],
): ChartTableT => ({ chart, title, columns, rows });

async function utilisation(db: Executor, w: Window): Promise<ChartTableT> {
  const cells = new Map<string, number[]>();
  for (const r of await areaSumBySlot(db, w, ['parcel.activity', 'parcel.occupied_seconds'])) {
    const k = `${Math.floor(r.slot / 24)}|${r.slot % 24}`;
    const c = cells.get(k) ?? [0, 0, 0];
    const i = r.dim === 'deposit' ? 0 : r.dim === 'pickup' ? 1 : 2;
    c[i]! += r.value;
    cells.set(k, c);
  }
  const weeks = Math.max(1, Math.round(hoursIn(w) / 168));
  const rows: ChartTableT['rows'] = [];
  for (let d = 0; d < 7; d++)
    for (let h = 0; h < 24; h++) {
      const c = cells.get(`${d}|${h}`) ?? [0, 0, 0];
      // Average compartments in use in that weekday-hour: parcel-seconds / (3600 × weeks).
      rows.push([WEEKDAYS[d]!, h, c[0]!, c[1]!, Math.round((c[2]! / 3600 / weeks) * 100) / 100]);
    }
  return table(
    'utilisation',
    '柜机使用热力图（星期 × 小时）',
    ['weekday', 'hour', 'deposits', 'pickups', 'avg_compartments_in_use'],
    rows,
  );
}

function hoursIn(w: Window): number {
  return (Date.parse(`${w.to}:00:00Z`) - Date.parse(`${w.from}:00:00Z`)) / 3_600_000;
}

async function dwell(db: Executor, w: Window): Promise<ChartTableT> {
  const t = await totals(db, w, ['parcel.dwell', 'parcel.deposits', 'parcel.overdue']);
  const rows: ChartTableT['rows'] = DWELL_BUCKETS.map((b) => [
    b.label,
    t.dims('parcel.dwell').get(b.label) ?? 0,
  ]);
  rows.push(['overdue_rate', ratio(t.total('parcel.overdue'), t.total('parcel.deposits'))]);
  return table('dwell', '滞留时长分布与超期率', ['bucket', 'parcels'], rows);
}

async function carriers(db: Executor, w: Window): Promise<ChartTableT> {
  const t = await totals(db, w, [
    'parcel.deposits',
    'parcel.pickups',
    'parcel.overdue',
    'parcel.returned',
    'parcel.consent_declined',
  ]);
  return table(
    'carriers',
    '各快递公司投递量、超期率与拒绝投柜',
    ['carrier', 'deposits', 'pickups', 'overdue', 'returned', 'overdue_rate', 'consent_refusals'],
    (await carrierFigures(db, t)).map((c) => [
      c.label,
      c.deposits,
      c.pickups,
      c.overdue,
      c.returned,
      c.overdueRate,
      c.consentRefusals,
    ]),
  );
}

async function peaks(db: Executor, w: Window): Promise<ChartTableT> {
  const by = Array.from({ length: 24 }, () => [0, 0]);
  for (const r of await areaSumBySlot(db, w, ['parcel.activity']))
    by[r.slot % 24]![r.dim === 'deposit' ? 0 : 1]! += r.value;
  return table(
    'peaks',
    '投递与取件高峰时段',
    ['hour', 'deposits', 'pickups'],
    by.map((v, h) => [h, v[0]!, v[1]!]),
  );
}

const DEVICE: readonly Metric[] = [
  'device.jams',
  'device.uncommanded_opens',
  'device.uv_failures',
  'device.faults',
  'device.offline_seconds',
];

async function devices(db: Executor, w: Window, s: DashboardScope): Promise<ChartTableT> {
  const hours = hoursIn(w);
  // Subdistrict: one row per community; below it, one row per locker.
  const perCommunity = s.scope === 'subdistricts';
  const lockers = await lockersIn(db, s.communityIds);
  const shown = perCommunity
    ? s.children.map((c) => ({ id: c.id, name: c.name }))
    : lockers
        .filter((l) => !s.lockerIds || s.lockerIds.includes(l.locker_id))
        .map((l) => ({ id: l.locker_id, name: l.name }));
  const lockerCount = (id: string) =>
    perCommunity ? lockers.filter((l) => l.community_id === id).length : 1;
  const byPlace = new Map<string, Record<string, number>>();
  const areas = shown.map((x) =>
    areaOf({ scope: perCommunity ? 'communities' : 'lockers', id: x.id }),
  );
  for (const r of await areaSumByArea(db, { ...w, areas }, DEVICE)) {
    const id = r.area.slice(2);
    const p = byPlace.get(id) ?? {};
    p[r.metric] = (p[r.metric] ?? 0) + r.value;
    byPlace.set(id, p);
  }
  return table(
    'devices',
    perCommunity ? '各社区设备健康' : '各柜机设备健康',
    ['place', 'online_rate', 'jams', 'uncommanded_opens', 'uv_failures', 'faults'],
    shown.map(({ id, name }) => {
      const p = byPlace.get(id) ?? {};
      const possible = lockerCount(id) * hours * 3600;
      return [
        name,
        ratio(possible - (p['device.offline_seconds'] ?? 0), possible),
        p['device.jams'] ?? 0,
        p['device.uncommanded_opens'] ?? 0,
        p['device.uv_failures'] ?? 0,
        p['device.faults'] ?? 0,
      ];
    }),
  );
}

async function needs(db: Executor, w: Window): Promise<ChartTableT> {
  const t = await totals(db, w, [
    'needs.opened',
    'needs.responded',
    'needs.resolved',
    'needs.overdue',
    'needs.rated',
    'needs.satisfied',
  ]);
  const types = new Set([...t.dims('needs.opened').keys(), ...t.dims('needs.resolved').keys()]);
  const g = (m: Metric, k: string) => t.dims(m).get(k) ?? 0;
  return table(
    'needs',
    '各类诉求：响应、办结、满意度与超期',
    [
      'type',
      'opened',
      'responded',
      'resolved',
      'overdue',
      'response_rate',
      'resolution_rate',
      'satisfaction_rate',
    ],
    [...types]
      .sort()
      .map((k) => [
        k,
        g('needs.opened', k),
        g('needs.responded', k),
        g('needs.resolved', k),
        g('needs.overdue', k),
        ratio(g('needs.responded', k), g('needs.opened', k)),
        ratio(g('needs.resolved', k), g('needs.opened', k)),
        ratio(g('needs.satisfied', k), g('needs.rated', k)),
      ]),
  );
}

/** A per-day series of some metrics (local days). */
async function daily(db: Executor, w: Window, metrics: readonly Metric[]) {
  const days = new Map<string, Record<string, number>>();
  for (const r of await areaSumByDay(db, w, metrics)) {
    const d = r.day;
    const row = days.get(d) ?? {};
    row[r.metric] = (row[r.metric] ?? 0) + r.value;
    days.set(d, row);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
}

async function hall(db: Executor, w: Window): Promise<ChartTableT> {
  const ms: Metric[] = [
    'hall.orders',
    'hall.revenue_fen',
    'hall.groupbuys_succeeded',
    'hall.groupbuys_failed',
    'hall.bookings',
    'hall.signups',
  ];
  return table(
    'hall',
    '服务馆：营收、订单、团购成团、预约与活动报名',
    ['day', ...ms.map((m) => m.slice(5))],
    (await daily(db, w, ms)).map(([d, r]) => [d, ...ms.map((m) => r[m] ?? 0)]),
  );
}

async function fund(db: Executor, w: Window): Promise<ChartTableT> {
  const rows = await areaSumByDim(db, w, ['fund.income_fen']);
  return table(
    'fund',
    '社区发展基金收入（按来源）',
    ['source', 'income_fen'],
    rows.sort((a, b) => a.dim.localeCompare(b.dim)).map((r) => [r.dim, r.value]),
  );
}

async function places(db: Executor, w: Window, s: DashboardScope): Promise<ChartTableT> {
  // Each child is an area of its own (community, compound or locker): one read for them all.
  const areas = s.children.map(areaOf);
  const sums = await areaSumByArea(db, { ...w, areas }, ['parcel.deposits', 'parcel.overdue']);
  const get = (c: (typeof s.children)[number], m: string) =>
    sums.find((r) => r.area === areaOf(c) && r.metric === m)?.value ?? 0;
  return table(
    'places',
    '下级区域',
    ['scope', 'id', 'name', 'deposits', 'overdue'],
    s.children.map((c) => [
      c.scope,
      c.id,
      c.name,
      get(c, 'parcel.deposits'),
      get(c, 'parcel.overdue'),
    ]),
  );
}

/** One chart of a scope and window. */
export async function chart(
  db: Executor,
  name: ChartName,
  s: DashboardScope,
  w: Window,
): Promise<ChartTableT> {
  switch (name) {
    case 'utilisation':
      return utilisation(db, w);
    case 'dwell':
      return dwell(db, w);
    case 'carriers':
      return carriers(db, w);
    case 'peaks':
      return peaks(db, w);
    case 'devices':
      return devices(db, w, s);
    case 'needs':
      return needs(db, w);
    case 'hall':
      return hall(db, w);
    case 'fund':
      return fund(db, w);
    case 'places':
      return places(db, w, s);
  }
}
