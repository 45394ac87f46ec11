/**
 * A community's key figures for one calendar month (Asia/Shanghai), read from the rollups only: what
 * the monthly report prints. The result's shape is a stable contract for the report.
 */
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { listCarriers } from '../places/index.ts';
import { areaSumByDim } from './area.repository.ts';
import { lockersIn, type Window } from './dashboard.repository.ts';
import { DWELL_BUCKETS, METRICS, type Metric } from './rollup-rules.ts';
import { SHANGHAI_OFFSET_MS } from '../../platform/clock.ts';

/** Per carrier (or `kind:<kind>` for deposits without one: neighbours, residents). */
export interface CarrierFigures {
  carrier: string;
  label: string;
  deposits: number;
  pickups: number;
  overdue: number;
  returned: number;
  /** overdue / deposits; null without deposits. */
  overdueRate: number | null;
  /** Consent requests its couriers sent that recipients declined. */
  consentRefusals: number;
}

/** One request type's figures. */
export interface NeedTypeFigures {
  serviceCode: string;
  opened: number;
  responded: number;
  resolved: number;
  overdue: number;
}

/** What `communityMonthFigures` returns. */
export interface CommunityMonthFigures {
  communityId: string;
  /** `YYYY-MM`. */
  month: string;
  parcels: {
    deposits: number;
    pickups: number;
    overdue: number;
    returned: number;
    overdueRate: number | null;
    byCarrier: CarrierFigures[];
    dwell: Array<{ bucket: string; count: number }>;
    /** Compartments in use on average over the month (parcel-hours / hours). */
    averageCompartmentsInUse: number;
  };
  devices: {
    lockers: number;
    jams: number;
    uncommandedOpens: number;
    uvFailures: number;
    faults: number;
    offlineHours: number;
    /** Share of locker-hours online; null without lockers. */
    onlineRate: number | null;
  };
  needs: {
    opened: number;
    responded: number;
    resolved: number;
    declined: number;
    overdue: number;
    rated: number;
    satisfied: number;
    averageRating: number | null;
    responseRate: number | null;
    resolutionRate: number | null;
    satisfactionRate: number | null;
    byType: NeedTypeFigures[];
  };
  hall: {
    orders: number;
    revenueFen: number;
    groupBuysSucceeded: number;
    groupBuysFailed: number;
    groupBuySuccessRate: number | null;
    bookings: number;
    signups: number;
  };
  fund: { incomeFen: number };
}

/** a / b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null;
}

/** The window of a calendar month `YYYY-MM` in Asia/Shanghai: its local days and UTC hours. */
export function monthWindow(month: string): {
  from: string;
  to: string;
  fromDay: string;
  toDay: string;
  hours: number;
} {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw new AppError(
      'bad_request',
      `月份格式应为 YYYY-MM。The month must look like 2026-11, not "${month}".`,
    );
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
  const h = (t: number) => new Date(t - SHANGHAI_OFFSET_MS).toISOString().slice(0, 13);
  return {
    from: h(start),
    to: h(end),
    fromDay: `${month}-01`,
    toDay: new Date(end - 86_400_000).toISOString().slice(0, 10),
    hours: (end - start) / 3_600_000,
  };
}

/** Sums of a window as `metric → dim → value`, with helpers to read them. */
export async function totals(db: Executor, w: Window, metrics: readonly Metric[]) {
  const by = new Map<string, Map<string, number>>();
  for (const r of await areaSumByDim(db, w, metrics)) {
    const m = by.get(r.metric) ?? new Map<string, number>();
    m.set(r.dim, (m.get(r.dim) ?? 0) + r.value);
    by.set(r.metric, m);
  }
  const dims = (metric: Metric) => by.get(metric) ?? new Map<string, number>();
  const total = (metric: Metric) => [...dims(metric).values()].reduce((a, b) => a + b, 0);
  return { dims, total };
}

// Every metric but the hour charts' carrier-free activity count, which the month's figures do not show.
const MONTH_METRICS: readonly Metric[] = METRICS.filter((m) => m !== 'parcel.activity');

/** Per-carrier figures from a window's totals. */
export async function carrierFigures(
  db: Executor,
  t: Awaited<ReturnType<typeof totals>>,
): Promise<CarrierFigures[]> {
  const names = new Map((await listCarriers(db)).map((c) => [c.id, c.name]));
  const keys = new Set([
    ...t.dims('parcel.deposits').keys(),
    ...t.dims('parcel.overdue').keys(),
    ...t.dims('parcel.consent_declined').keys(),
  ]);
  const kindLabel: Record<string, string> = {
    'kind:neighbour': '邻里寄存',
    'kind:outgoing': '寄件',
    'kind:takeout': '外卖',
    'kind:delivery': '其他投递',
  };
  return [...keys].sort().map((carrier) => {
    const deposits = t.dims('parcel.deposits').get(carrier) ?? 0;
    const overdue = t.dims('parcel.overdue').get(carrier) ?? 0;
    return {
      carrier,
      label: names.get(carrier) ?? kindLabel[carrier] ?? carrier,
      deposits,
      pickups: t.dims('parcel.pickups').get(carrier) ?? 0,
      overdue,
      returned: t.dims('parcel.returned').get(carrier) ?? 0,
      overdueRate: ratio(overdue, deposits),
      consentRefusals: t.dims('parcel.consent_declined').get(carrier) ?? 0,
    };
  });
}

/** A community's key figures for a month (`YYYY-MM`, Asia/Shanghai days), from the rollups only. */
export async function communityMonthFigures(
  db: Executor,
  communityId: string,
  month: string,
): Promise<CommunityMonthFigures> {
  const mw = monthWindow(month);
  const t = await totals(
    db,
    { areas: [`C:${communityId}`], communityIds: [communityId], ...mw },
    MONTH_METRICS,
  );
  const lockers = (await lockersIn(db, [communityId])).length;
  const needTypes = new Set([...t.dims('needs.opened').keys(), ...t.dims('needs.resolved').keys()]);
  const offlineHours = t.total('device.offline_seconds') / 3600;
  const rated = t.total('needs.rated');
  const opened = t.total('needs.opened');
  const succeeded = t.total('hall.groupbuys_succeeded');
  const failed = t.total('hall.groupbuys_failed');
  return {
    communityId,
    month,
    parcels: {
      deposits: t.total('parcel.deposits'),
      pickups: t.total('parcel.pickups'),
      overdue: t.total('parcel.overdue'),
      returned: t.total('parcel.returned'),
      overdueRate: ratio(t.total('parcel.overdue'), t.total('parcel.deposits')),
      byCarrier: await carrierFigures(db, t),
      dwell: DWELL_BUCKETS.map((b) => ({
        bucket: b.label,
        count: t.dims('parcel.dwell').get(b.label) ?? 0,
      })),
      averageCompartmentsInUse:
        Math.round((t.total('parcel.occupied_seconds') / 3600 / mw.hours) * 100) / 100,
    },
    devices: {
      lockers,
      jams: t.total('device.jams'),
      uncommandedOpens: t.total('device.uncommanded_opens'),
      uvFailures: t.total('device.uv_failures'),
      faults: t.total('device.faults'),
      offlineHours: Math.round(offlineHours * 100) / 100,
      onlineRate: lockers ? ratio(lockers * mw.hours - offlineHours, lockers * mw.hours) : null,
    },
    needs: {
      opened,
      responded: t.total('needs.responded'),
      resolved: t.total('needs.resolved'),
      declined: t.total('needs.declined'),
      overdue: t.total('needs.overdue'),
      rated,
      satisfied: t.total('needs.satisfied'),
      averageRating: rated ? Math.round((t.total('needs.rating_sum') / rated) * 100) / 100 : null,
      responseRate: ratio(t.total('needs.responded'), opened),
      resolutionRate: ratio(t.total('needs.resolved'), opened),
      satisfactionRate: ratio(t.total('needs.satisfied'), rated),
      byType: [...needTypes].sort().map((serviceCode) => ({
        serviceCode,
        opened: t.dims('needs.opened').get(serviceCode) ?? 0,
        responded: t.dims('needs.responded').get(serviceCode) ?? 0,
        resolved: t.dims('needs.resolved').get(serviceCode) ?? 0,
        overdue: t.dims('needs.overdue').get(serviceCode) ?? 0,
      })),
    },
    hall: {
      orders: t.total('hall.orders'),
      revenueFen: t.total('hall.revenue_fen'),
      groupBuysSucceeded: succeeded,
      groupBuysFailed: failed,
      groupBuySuccessRate: ratio(succeeded, succeeded + failed),
      bookings: t.total('hall.bookings'),
      signups: t.total('hall.signups'),
    },
    fund: { incomeFen: t.total('fund.income_fen') },
  };
}
