/**
 * Overdue parcels (issue 4, item 8; reminders from item 3). Each community sets free
 * hours, when to remind, and what happens after: a capped fee, a move to the service
 * hall (staff fetch it, shelve it, and hand it over against the same code), or a return
 * to the depositor's carrier. The sweep is idempotent: one reminder and one overdue
 * action per parcel, tracked in their own tables.
 */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { findHall } from '../places/index.ts';
import * as overdue from './overdue.repository.ts';
import type { OverdueAction } from './overdue.table.ts';
import { recordParcelEvent } from './parcel.events.ts';
import { tellRecipient } from './parcel-notices.ts';
import * as parcels from './parcel.repository.ts';

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

const HOUR = 3600_000;
const DAY = 24 * HOUR;

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

/** A community's overdue policy (the defaults when it set none). */
export async function policyFor(db: Executor, communityId: string): Promise<OverduePolicy> {
  return toPolicy(communityId, await overdue.findPolicy(db, communityId));
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

async function policyMap(
  db: Executor,
  rows: parcels.ParcelRow[],
): Promise<(communityId: string) => OverduePolicy> {
  const found = await overdue.policiesOf(db, [...new Set(rows.map((r) => r.community_id))]);
  const byId = new Map(found.map((r) => [r.community_id, r]));
  return (id) => toPolicy(id, byId.get(id));
}

function deadlineText(at: string): string {
  return new Date(at).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
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

export interface SweepResult {
  reminded: number;
  toHall: number;
  fees: number;
  returns: number;
}

/** Remind parcels nearing their deadline and take the overdue action on those past it (call periodically). */
export async function sweepOverdue(
  deps: Pick<AppDeps, 'db' | 'clock' | 'random'>,
): Promise<SweepResult> {
  const now = deps.clock.now();
  const result: SweepResult = { reminded: 0, toHall: 0, fees: 0, returns: 0 };

  const soon = await overdue.unremindedEndingBefore(
    deps.db,
    iso(now),
    iso(now + MAX_REMINDER_HOURS * HOUR),
  );
  const policyOfSoon = await policyMap(deps.db, soon);
  for (const p of soon) {
    const policy = policyOfSoon(p.community_id);
    if (
      policy.reminderHoursBefore <= 0 ||
      Date.parse(p.free_until!) > now + policy.reminderHoursBefore * HOUR
    )
      continue;
    const place = await overdue.lockerPlace(deps.db, p.locker_id);
    const where = place
      ? `${place.compound}${place.site}（${place.locker}）${p.compartment}号格口`
      : `${p.compartment}号格口`;
    const text = `【蚁巢】您存放在${where}的快递即将超过免费保管期，请凭取件码于${deadlineText(p.free_until!)}前取件。${afterDeadlineText(policy)}`;
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await overdue.markReminded(trx, p.id, iso(now)))) return false;
      await tellRecipient(trx, deps, p, text);
      await recordParcelEvent(trx, deps, p, {
        type: 'reminder_queued',
        actorId: null,
        source: 'system',
      });
      return true;
    });
    if (done) result.reminded++;
  }

  const late = await overdue.overdueUnhandled(deps.db, iso(now));
  const policyOfLate = await policyMap(deps.db, late);
  for (const p of late) {
    let action = policyOfLate(p.community_id).action;
    // A parcel a resident deposited has no carrier to take it back: it goes to the hall instead.
    if (action === 'return_to_courier' && !p.carrier_id) action = 'move_to_hall';
    const hall =
      action === 'move_to_hall' ? await overdue.firstHallOf(deps.db, p.community_id) : undefined;
    if (action === 'move_to_hall' && !hall) continue; // no hall yet: retried on the next sweep
    const done = await deps.db.transaction().execute(async (trx) => {
      if (
        !(await overdue.insertOverdue(trx, {
          parcel_id: p.id,
          community_id: p.community_id,
          action,
          carrier_id: action === 'return_to_courier' ? p.carrier_id : null,
          at: iso(now),
        }))
      )
        return false;
      if (hall)
        await overdue.insertShelfItem(trx, {
          id: newId(deps.clock, deps.random),
          community_id: p.community_id,
          hall_id: hall.id,
          parcel_id: p.id,
          status: 'to_move',
          slot: null,
          created_at: iso(now),
          moved_at: null,
          handed_over_at: null,
          moved_by: null,
        });
      await recordParcelEvent(trx, deps, p, {
        type: 'overdue',
        actorId: null,
        source: 'system',
        detail: { action, ...(hall ? { hallId: hall.id } : {}) },
      });
      return true;
    });
    if (!done) continue;
    if (action === 'move_to_hall') result.toHall++;
    else if (action === 'capped_fee') result.fees++;
    else result.returns++;
  }
  return result;
}

/** Where an overdue parcel stands, for staff: the action taken and the fee owed so far. */
export async function overdueStatus(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  communityId: string,
  parcelId: string,
) {
  const p = await parcels.findParcel(deps.db, parcelId);
  if (!p || p.community_id !== communityId) throw notFound('That parcel');
  const [policy, taken] = await Promise.all([
    policyFor(deps.db, communityId),
    overdue.findOverdue(deps.db, parcelId),
  ]);
  const owing = taken?.action === 'capped_fee' && p.status === 'stored' && p.free_until;
  return {
    parcelId: p.id,
    status: p.status,
    freeUntil: p.free_until,
    action: taken?.action ?? null,
    feeFen: owing ? overdueFee(policy, p.free_until!, deps.clock.now()) : 0,
    feeCapFen: policy.feeCapFen,
  };
}
