/**
 * What each source event adds to the hourly rollups: pure functions of the event and the
 * stable facts of its subject, shared by the incremental path and the rebuild so the two
 * cannot drift apart (ADR 0029).
 */

import type { AnalyticsPendingTable } from './analytics.table.ts';
import { SHANGHAI_OFFSET_MS } from '../../platform/clock.ts';

/** One counter to add: to the locker's row when `lockerId` is set, else to the community's own row. */
export interface Increment {
  communityId: string;
  lockerId: string | null;
  /** A community-wide increment about one compound (a request from one of its units): counted in that compound's area too. */
  compoundId?: string | null;
  metric: Metric;
  hour: string;
  dim: string;
  value: number;
}

export const METRICS = [
  'parcel.deposits',
  'parcel.pickups',
  'parcel.activity',
  'parcel.dwell',
  'parcel.overdue',
  'parcel.returned',
  'parcel.occupied_seconds',
  'parcel.consent_declined',
  'device.jams',
  'device.uncommanded_opens',
  'device.uv_failures',
  'device.faults',
  'device.offline_seconds',
  'needs.opened',
  'needs.responded',
  'needs.resolved',
  'needs.declined',
  'needs.overdue',
  'needs.rated',
  'needs.rating_sum',
  'needs.satisfied',
  'hall.orders',
  'hall.revenue_fen',
  'hall.groupbuys_succeeded',
  'hall.groupbuys_failed',
  'hall.bookings',
  'hall.signups',
  'fund.income_fen',
] as const;
export type Metric = (typeof METRICS)[number];

/** The metrics the hour charts read by local weekday × hour (the slot tables hold only these). */
export const SLOT_METRICS: readonly Metric[] = ['parcel.activity', 'parcel.occupied_seconds'];

/** Dwell-time buckets (hours from stored to picked up): label and upper bound. */
export const DWELL_BUCKETS = [
  { label: '<1h', maxHours: 1 },
  { label: '1-4h', maxHours: 4 },
  { label: '4-12h', maxHours: 12 },
  { label: '12-24h', maxHours: 24 },
  { label: '1-2d', maxHours: 48 },
  { label: '2-3d', maxHours: 72 },
  { label: '>3d', maxHours: Infinity },
] as const;

/**
 * Date's own UTC text, as every stored instant is (iso(), ADR 0003), with fields in range. Days
 * 29–31 are left to Date, which rolls an impossible one over (Feb 30 is Mar 2) where slicing
 * would not; a month 13 or a minute 60 goes to Date too, which throws on it.
 */
const CANONICAL_INSTANT =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The UTC hour key of an ISO instant: `YYYY-MM-DDTHH`. */
export function hourOf(isoAt: string): string {
  // A stored instant is already in that form: its first 13 characters, without a Date.
  if (CANONICAL_INSTANT.test(isoAt)) return isoAt.slice(0, 13);
  return new Date(isoAt).toISOString().slice(0, 13);
}

/** The local (Asia/Shanghai, UTC+8, no DST) day of a UTC hour key: the daily counters' key. */
export function localDayOf(hour: string): string {
  return new Date(Date.parse(`${hour}:00:00Z`) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The local (Asia/Shanghai) weekday × hour slot of a UTC hour key: `weekday * 24 + hour`, Monday 0. */
export function localSlotOf(hour: string): number {
  const d = new Date(Date.parse(`${hour}:00:00Z`) + SHANGHAI_OFFSET_MS);
  return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
}

/** An increment's own area and the areas above it (`L:`, `X:`, `C:`, `S:` keys), as a pending row holds them. */
export type AreaChain = Pick<
  AnalyticsPendingTable,
  'area' | 'compound_area' | 'community_area' | 'subdistrict_area'
>;

/** Where an increment's place sits: its locker's compound and its community's subdistrict, when known. */
export interface AreaPlaces {
  compoundOf: ReadonlyMap<string, string>;
  subdistrictOf: ReadonlyMap<string, string>;
}

/**
 * The areas an increment counts in, as a pending row names them: a locker's increment in the
 * locker (its own area), its compound, its community and its subdistrict; a community-wide one
 * (needs, hall, fund) in its compound when it has one, the community and the subdistrict. An
 * area above that is not known yet is null. A dashboard of any scope then reads one area.
 */
export function areasOf(
  i: Pick<Increment, 'communityId' | 'lockerId' | 'compoundId'>,
  p: AreaPlaces,
): AreaChain {
  const sub = p.subdistrictOf.get(i.communityId);
  const subdistrict_area = sub ? `S:${sub}` : null;
  const community = `C:${i.communityId}`;
  if (i.lockerId) {
    const compound = p.compoundOf.get(i.lockerId);
    return {
      area: `L:${i.lockerId}`,
      compound_area: compound ? `X:${compound}` : null,
      community_area: community,
      subdistrict_area,
    };
  }
  if (i.compoundId)
    return {
      area: `X:${i.compoundId}`,
      compound_area: null,
      community_area: community,
      subdistrict_area,
    };
  return { area: community, compound_area: null, community_area: null, subdistrict_area };
}

/** The dwell bucket of a stay. */
export function dwellBucket(storedAt: string, pickedUpAt: string): string {
  const hours = (Date.parse(pickedUpAt) - Date.parse(storedAt)) / 3_600_000;
  return DWELL_BUCKETS.find((b) => hours < b.maxHours)!.label;
}

/** Whole seconds of [from, to) in each UTC hour (a stay or an outage spread over the hours it covers). */
export function secondsByHour(
  fromIso: string,
  toIso: string,
): Array<[hour: string, seconds: number]> {
  const out: Array<[string, number]> = [];
  const to = Date.parse(toIso);
  let t = Date.parse(fromIso);
  while (t < to) {
    const next = Math.min(to, Math.floor(t / 3_600_000) * 3_600_000 + 3_600_000);
    // Integers, so sums are exact and do not depend on the order events were added in.
    out.push([new Date(t).toISOString().slice(0, 13), Math.round((next - t) / 1000)]);
    t = next;
  }
  return out;
}

/** The parcel facts a rule reads (see parcels' `ParcelStepFacts`). */
export interface ParcelStep {
  type: string;
  at: string;
  communityId: string;
  lockerId: string;
  carrierId: string | null;
  kind: string;
  storedAt: string | null;
}

/** Who brought a parcel, as the carrier breakdown shows it. */
export function carrierDim(p: Pick<ParcelStep, 'carrierId' | 'kind'>): string {
  return p.carrierId ?? `kind:${p.kind}`;
}

/** Steps after which a parcel no longer occupies its compartment (a lost one included: ADR 0041). */
const LEAVES = new Set(['picked_up', 'returned', 'taken_out_for_hall', 'lost']);

/** What a parcel step adds. */
export function parcelIncrements(p: ParcelStep): Increment[] {
  const at = { communityId: p.communityId, lockerId: p.lockerId };
  const stepHour = hourOf(p.at);
  const one = (metric: Metric, dim = '', hour = stepHour, value = 1): Increment => ({
    ...at,
    metric,
    hour,
    dim,
    value,
  });
  const out: Increment[] = [];
  // `activity` repeats deposits and pickups without the carrier breakdown: the hour charts read it.
  if (p.type === 'stored' || p.type === 'late_deposit_found')
    out.push(one('parcel.deposits', carrierDim(p)), one('parcel.activity', 'deposit'));
  if (p.type === 'picked_up') {
    out.push(one('parcel.pickups', carrierDim(p)), one('parcel.activity', 'pickup'));
    if (p.storedAt) out.push(one('parcel.dwell', dwellBucket(p.storedAt, p.at)));
  }
  if (p.type === 'overdue') out.push(one('parcel.overdue', carrierDim(p)));
  if (p.type === 'returned') out.push(one('parcel.returned', carrierDim(p)));
  if (LEAVES.has(p.type) && p.storedAt)
    for (const [hour, seconds] of secondsByHour(p.storedAt, p.at))
      out.push(one('parcel.occupied_seconds', '', hour, seconds));
  return out;
}

/** A recipient declined a courier's consent request (parcels' `ConsentRefusal`). */
export interface ConsentDeclined {
  communityId: string;
  lockerId: string;
  carrierId: string;
  at: string;
}

/** What a consent refusal adds: one, at the locker, by the asking courier's carrier. */
export function consentIncrements(r: ConsentDeclined): Increment[] {
  return [
    {
      communityId: r.communityId,
      lockerId: r.lockerId,
      metric: 'parcel.consent_declined',
      hour: hourOf(r.at),
      dim: r.carrierId,
      value: 1,
    },
  ];
}

/** What an activity sign-up adds: one to the community's hall figures. */
export function signupIncrements(f: { communityId: string; at: string }): Increment[] {
  return hallIncrements({ kind: 'signup', communityId: f.communityId, at: f.at, amountFen: 0 });
}

/** The request facts a rule reads (see needs' `NeedStepFacts`). */
export interface NeedStep {
  at: string;
  communityId: string;
  serviceCode: string;
  action: string;
  fromStatus: string | null;
  note: string | null;
}

/** A rating carried by a step's note: `rated` notes are the number, a visit appends "(rating N)". */
export function ratingOf(s: Pick<NeedStep, 'action' | 'note'>): number | null {
  if (s.action === 'rated' && s.note && /^[1-5]$/.test(s.note)) return Number(s.note);
  const m = s.action === 'visited' ? /\(rating ([1-5])\)$/.exec(s.note ?? '') : null;
  return m ? Number(m[1]) : null;
}

/**
 * What a request step adds (community grain, broken down by request type); with the compound of
 * the request's unit, its area counts it too.
 */
export function needIncrements(s: NeedStep, compoundId: string | null = null): Increment[] {
  const one = (metric: Metric, value = 1): Increment => ({
    communityId: s.communityId,
    lockerId: null,
    compoundId,
    metric,
    hour: hourOf(s.at),
    dim: s.serviceCode,
    value,
  });
  const out: Increment[] = [];
  if (s.action === 'received') out.push(one('needs.opened'));
  // The first response: accepting it, or replying without having accepted it first.
  if (s.action === 'accepted' || (s.action === 'replied' && s.fromStatus !== 'in_progress'))
    out.push(one('needs.responded'));
  if (s.action === 'closed') out.push(one('needs.resolved'));
  if (s.action === 'declined') out.push(one('needs.declined'));
  if (s.action === 'escalated' && s.note === 'overdue') out.push(one('needs.overdue'));
  const rating = ratingOf(s);
  if (rating !== null) {
    out.push(one('needs.rated'), one('needs.rating_sum', rating));
    if (rating >= 4) out.push(one('needs.satisfied'));
  }
  return out;
}

/** A stored device fact as the rules read it (the contract's fact, loosely typed). */
export interface DeviceFact {
  type: string;
  sentAt: string;
  outcome?: string;
  result?: string;
  reason?: string;
  code?: string;
}

/** What a device fact adds to its locker's health. */
export function deviceIncrements(
  locker: { id: string; communityId: string },
  f: DeviceFact,
): Increment[] {
  const one = (metric: Metric, dim = ''): Increment => ({
    communityId: locker.communityId,
    lockerId: locker.id,
    metric,
    hour: hourOf(f.sentAt),
    dim,
    value: 1,
  });
  if (f.type === 'open_outcome' && f.outcome === 'door_jammed') return [one('device.jams')];
  if (f.type === 'uncommanded_open') return [one('device.uncommanded_opens')];
  if (f.type === 'uv_done' && f.result === 'aborted' && f.reason === 'lamp_fault')
    return [one('device.uv_failures')];
  if (f.type === 'fault')
    return f.code === 'uv_lamp'
      ? [one('device.uv_failures'), one('device.faults', f.code)]
      : [one('device.faults', f.code ?? '')];
  return [];
}

/** What an offline span adds: its seconds in each hour it covers. */
export function offlineIncrements(s: {
  lockerId: string;
  communityId: string;
  fromAt: string;
  toAt: string;
}): Increment[] {
  return secondsByHour(s.fromAt, s.toAt).map(([hour, seconds]) => ({
    communityId: s.communityId,
    lockerId: s.lockerId,
    metric: 'device.offline_seconds',
    hour,
    dim: '',
    value: seconds,
  }));
}

/** A hall happening as the rules read it (see hall's `HallFact`). */
export interface HallHappening {
  kind: string;
  communityId: string;
  at: string;
  amountFen: number;
}

/** What a hall happening adds (community grain). */
export function hallIncrements(f: HallHappening): Increment[] {
  const one = (metric: Metric, value = 1): Increment => ({
    communityId: f.communityId,
    lockerId: null,
    metric,
    hour: hourOf(f.at),
    dim: '',
    value,
  });
  if (f.kind === 'order_paid') return [one('hall.orders'), one('hall.revenue_fen', f.amountFen)];
  if (f.kind === 'groupbuy_confirmed') return [one('hall.groupbuys_succeeded')];
  if (f.kind === 'groupbuy_failed') return [one('hall.groupbuys_failed')];
  if (f.kind === 'booking') return [one('hall.bookings')];
  if (f.kind === 'signup') return [one('hall.signups')];
  return [];
}

const FUND_ACCOUNT = 'community_fund:';

/** A ledger line on a community's fund, as the rules read it. */
export interface FundLine {
  accountId: string;
  kind: string;
  at: string;
  amount: number;
}

/** What a ledger line adds: the fund's income (everything but its own spending), by entry kind. */
export function fundIncrements(l: FundLine): Increment[] {
  if (!l.accountId.startsWith(FUND_ACCOUNT) || l.kind === 'fund_spend' || l.amount === 0) return [];
  return [
    {
      communityId: l.accountId.slice(FUND_ACCOUNT.length),
      lockerId: null,
      metric: 'fund.income_fen',
      hour: hourOf(l.at),
      dim: l.kind,
      value: l.amount,
    },
  ];
}
