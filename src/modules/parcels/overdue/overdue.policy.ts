/**
 * A community's overdue policy: free hours, when to remind, what happens after (a capped
 * fee, a move to the service hall, a return to the carrier), and the words a recipient reads
 * about it. Pure rules plus the policy's own reads and writes; the sweep that applies it is
 * overdue.service.ts.
 */
import type { Executor } from '../../../db/database.ts';
import { RowCache } from '../../../db/row-cache.ts';
import { SHANGHAI_OFFSET_MS, iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { notFound } from '../../../platform/errors.ts';
import { findHall } from '../../places/index.ts';
import * as overdue from './overdue.repository.ts';
import type { OverdueAction } from './overdue.table.ts';
import * as parcels from '../core/parcel.repository.ts';

/** A community's policy as the API shows it. */
export interface OverduePolicy {
  communityId: string;
  freeHours: number;
  reminderHoursBefore: number;
  action: OverdueAction;
  feePerDayFen: number;
  feeCapFen: number;
  retentionDays: number;
  /** null while the community runs on the defaults. */
  updatedAt: string | null;
}

export type PolicyInput = Omit<OverduePolicy, 'communityId' | 'updatedAt'>;

/** What applies to a community that never set a policy. */
export const DEFAULT_POLICY: PolicyInput = {
  freeHours: 48,
  reminderHoursBefore: 6,
  action: 'move_to_hall',
  feePerDayFen: 0,
  feeCapFen: 0,
  retentionDays: 30,
};
/** The longest reminder lead the API accepts; bounds the reminder sweep's scan. */
export const MAX_REMINDER_HOURS = 168;

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

function toPolicy(communityId: string, r: overdue.PolicyRow | undefined): OverduePolicy {
  if (!r) return { communityId, ...DEFAULT_POLICY, updatedAt: null };
  return {
    communityId,
    freeHours: r.free_hours,
    reminderHoursBefore: r.reminder_hours_before,
    action: r.action,
    feePerDayFen: r.fee_per_day_fen,
    feeCapFen: r.fee_cap_fen,
    retentionDays: r.retention_days,
    updatedAt: r.updated_at,
  };
}

/**
 * Policies read by every store and pickup. Saved here (invalidated on save); another node's
 * save shows within a minute: a parcel stored meanwhile gets the old free hours.
 */
const policies = new RowCache<OverduePolicy>(60_000);

/** A community's overdue policy (the defaults when it set none). */
export async function policyFor(db: Executor, communityId: string): Promise<OverduePolicy> {
  return (await policies.get(db, communityId, async () =>
    Object.freeze(toPolicy(communityId, await overdue.findPolicy(db, communityId))),
  ))!;
}

/** The policy of the community a hall serves. */
export async function policyOfHall(
  deps: Pick<AppDeps, 'db'>,
  hallId: string,
): Promise<OverduePolicy> {
  const hall = await findHall(deps.db, hallId);
  if (!hall) throw notFound('That hall');
  return policyFor(deps.db, hall.community_id);
}

/** Replace a community's overdue policy. */
export async function savePolicy(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  communityId: string,
  input: PolicyInput,
): Promise<OverduePolicy> {
  const row: overdue.PolicyRow = {
    community_id: communityId,
    free_hours: input.freeHours,
    reminder_hours_before: input.reminderHoursBefore,
    action: input.action,
    fee_per_day_fen: input.feePerDayFen,
    fee_cap_fen: input.feeCapFen,
    retention_days: input.retentionDays,
    updated_at: iso(deps.clock.now()),
  };
  await overdue.upsertPolicy(deps.db, row);
  policies.invalidate(deps.db, communityId);
  return toPolicy(communityId, row);
}

/** The fee (fen) owed at `now`: each started day past free storage costs a day's fee, never more than the cap. */
export function overdueFee(
  policy: Pick<OverduePolicy, 'feePerDayFen' | 'feeCapFen'>,
  freeUntil: string,
  now: number,
): number {
  const late = now - Date.parse(freeUntil);
  if (!(late > 0)) return 0;
  const days = Math.ceil(late / DAY);
  return Math.max(
    0,
    Math.min(days * Math.max(0, policy.feePerDayFen), Math.max(0, policy.feeCapFen)),
  );
}

export async function policyMap(
  db: Executor,
  rows: parcels.ParcelRow[],
): Promise<(communityId: string) => OverduePolicy> {
  const found = await overdue.policiesOf(db, [...new Set(rows.map((r) => r.community_id))]);
  const byId = new Map(found.map((r) => [r.community_id, r]));
  return (id) => toPolicy(id, byId.get(id));
}

/** Built once: building an Intl formatter costs far more than formatting with it (it ran per stored parcel). */
const DEADLINE = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** From here on SHANGHAI_OFFSET_MS holds (China had summer time 1986–1991). */
const CHINA_FIXED_FROM = Date.UTC(1992, 0, 1);
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * A deadline as a resident reads it (month, day, hour in China time), as DEADLINE formats it
 * ("12/7 08:05"). Worked out by hand from 1992 on: Intl's formatter cost about 40 µs a call
 * in the cycle benchmark (once per stored parcel, its ICU data cold between calls), where
 * this costs well under one; earlier instants, and invalid ones (RangeError), go to Intl.
 */
export function deadlineText(at: string): string {
  const ms = Date.parse(at);
  if (!(ms >= CHINA_FIXED_FROM)) return DEADLINE.format(new Date(at));
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** deadlineText by Intl alone (the reference its arithmetic is tested against). */
export function deadlineTextByIntl(at: string): string {
  return DEADLINE.format(new Date(at));
}

const yuan = (fen: number) => (fen / 100).toFixed(fen % 100 === 0 ? 0 : 2);

/** What the notice says happens after free storage (the regulation asks the notice to state the fee policy). */
export function afterDeadlineText(
  policy: Pick<OverduePolicy, 'action' | 'feePerDayFen' | 'feeCapFen'>,
): string {
  if (policy.action === 'move_to_hall')
    return '超时后包裹转至社区服务馆代管，凭同一取件码领取，不另收费。';
  if (policy.action === 'return_to_courier') return '超时后包裹将退回快递公司。';
  if (policy.feePerDayFen <= 0 || policy.feeCapFen <= 0) return '超时后继续保管，不收费。';
  return `超时后每天收取保管费${yuan(policy.feePerDayFen)}元，最多${yuan(policy.feeCapFen)}元。`;
}
