/**
 * Overdue parcels (issue 4, item 8; reminders from item 3). Each community sets free
 * hours, when to remind, and what happens after: a capped fee, a move to the service
 * hall (staff fetch it, shelve it, and hand it over against the same code), or a return
 * to the depositor's carrier. The sweep is idempotent: one reminder and one overdue
 * action per parcel, tracked in their own tables.
 */
import type { Executor } from '../../db/database.ts';
import { enqueueCommand } from '../lockers/command.service.ts';
import * as lockers from '../lockers/locker.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { LIMITS, limit } from '../../platform/limits.ts';
import { hitLimits, refuseWhenReached } from '../../platform/rate-limit.ts';
import { findHall } from '../places/places.repository.ts';
import * as overdue from './overdue.repository.ts';
import type { OverdueAction, ShelfStatus } from './overdue.table.ts';
import { recordParcelEvent } from './parcel-events.ts';
import * as parcels from './parcel.repository.ts';
import { syncLocker } from './parcel.runtime.ts';
import { codeHash } from './pickup-code.ts';
import { codeKey } from './pickup-code.ts';

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
export const DEFAULT_POLICY: PolicyInput = { freeHours: 48, reminderHoursBefore: 6, action: 'move_to_hall', feePerDayFen: 0, feeCapFen: 0, retentionDays: 30 };
/** The longest reminder lead the API accepts; bounds the reminder sweep's scan. */
export const MAX_REMINDER_HOURS = 168;
/** Wrong codes a hall may try per 10 minutes before hand-over is refused. */
export const WRONG_CODES_PER_HALL = LIMITS.hallWrongCodesPerHall.max;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function toPolicy(communityId: string, r: overdue.PolicyRow | undefined): OverduePolicy {
  if (!r) return { communityId, ...DEFAULT_POLICY, updatedAt: null };
  return { communityId, freeHours: r.free_hours, reminderHoursBefore: r.reminder_hours_before, action: r.action, feePerDayFen: r.fee_per_day_fen, feeCapFen: r.fee_cap_fen, retentionDays: r.retention_days, updatedAt: r.updated_at };
}

/** A community's overdue policy (the defaults when it set none). */
export async function policyFor(db: Executor, communityId: string): Promise<OverduePolicy> {
  return toPolicy(communityId, await overdue.findPolicy(db, communityId));
}

/** The policy of the community a hall serves. */
export async function policyOfHall(deps: Pick<AppDeps, 'db'>, hallId: string): Promise<OverduePolicy> {
  const hall = await findHall(deps.db, hallId);
  if (!hall) throw notFound('That hall');
  return policyFor(deps.db, hall.community_id);
}

/** Replace a community's overdue policy. */
export async function savePolicy(deps: Pick<AppDeps, 'db' | 'clock'>, communityId: string, input: PolicyInput): Promise<OverduePolicy> {
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
export function overdueFee(policy: Pick<OverduePolicy, 'feePerDayFen' | 'feeCapFen'>, freeUntil: string, now: number): number {
  const late = now - Date.parse(freeUntil);
  if (!(late > 0)) return 0;
  const days = Math.ceil(late / DAY);
  return Math.max(0, Math.min(days * Math.max(0, policy.feePerDayFen), Math.max(0, policy.feeCapFen)));
}

async function policyMap(db: Executor, rows: parcels.ParcelRow[]): Promise<(communityId: string) => OverduePolicy> {
  const found = await overdue.policiesOf(db, [...new Set(rows.map((r) => r.community_id))]);
  const byId = new Map(found.map((r) => [r.community_id, r]));
  return (id) => toPolicy(id, byId.get(id));
}

function deadlineText(at: string): string {
  return new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const yuan = (fen: number) => (fen / 100).toFixed(fen % 100 === 0 ? 0 : 2);

/** What the notice says happens after free storage (the regulation asks the notice to state the fee policy). */
export function afterDeadlineText(policy: Pick<OverduePolicy, 'action' | 'feePerDayFen' | 'feeCapFen'>): string {
  if (policy.action === 'move_to_hall') return '超时后包裹转至社区服务馆代管，凭同一取件码领取，不另收费。';
  if (policy.action === 'return_to_courier') return '超时后包裹将退回快递公司。';
  if (policy.feePerDayFen <= 0 || policy.feeCapFen <= 0) return '超时后继续保管，不收费。';
  return `超时后每天收取保管费${yuan(policy.feePerDayFen)}元，最多${yuan(policy.feeCapFen)}元。`;
}

/** Queue an SMS (and an in-app copy) to a parcel's recipient; the text must not hold the code. */
async function tell(db: Executor, ctx: Pick<AppDeps, 'clock' | 'random'>, p: parcels.ParcelRow, text: string): Promise<void> {
  const now = iso(ctx.clock.now());
  const base = { community_id: p.community_id, parcel_id: p.id, attempts: 0, next_attempt_at: now, created_at: now };
  await parcels.insertNotification(db, { ...base, id: newId(ctx.clock, ctx.random), user_id: p.recipient_user_id, channel: 'sms', phone_cipher: p.recipient_phone_cipher, body: text, status: 'pending', sent_at: null });
  if (p.recipient_user_id) await parcels.insertNotification(db, { ...base, id: newId(ctx.clock, ctx.random), user_id: p.recipient_user_id, channel: 'app', phone_cipher: null, body: text, status: 'sent', sent_at: now });
}

export interface SweepResult {
  reminded: number;
  toHall: number;
  fees: number;
  returns: number;
}

/** Remind parcels nearing their deadline and take the overdue action on those past it (call periodically). */
export async function sweepOverdue(deps: AppDeps): Promise<SweepResult> {
  const now = deps.clock.now();
  const result: SweepResult = { reminded: 0, toHall: 0, fees: 0, returns: 0 };

  const soon = await overdue.unremindedEndingBefore(deps.db, iso(now), iso(now + MAX_REMINDER_HOURS * HOUR));
  const policyOfSoon = await policyMap(deps.db, soon);
  for (const p of soon) {
    const policy = policyOfSoon(p.community_id);
    if (policy.reminderHoursBefore <= 0 || Date.parse(p.free_until!) > now + policy.reminderHoursBefore * HOUR) continue;
    const place = await overdue.lockerPlace(deps.db, p.locker_id);
    const where = place ? `${place.compound}${place.site}（${place.locker}）${p.compartment}号格口` : `${p.compartment}号格口`;
    const text = `【蚁巢】您存放在${where}的快递即将超过免费保管期，请凭取件码于${deadlineText(p.free_until!)}前取件。${afterDeadlineText(policy)}`;
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await overdue.markReminded(trx, p.id, iso(now)))) return false;
      await tell(trx, deps, p, text);
      await recordParcelEvent(trx, deps, p, { type: 'reminder_queued', actorId: null, source: 'system' });
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
    const hall = action === 'move_to_hall' ? await overdue.firstHallOf(deps.db, p.community_id) : undefined;
    if (action === 'move_to_hall' && !hall) continue; // no hall yet: retried on the next sweep
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await overdue.insertOverdue(trx, { parcel_id: p.id, community_id: p.community_id, action, carrier_id: action === 'return_to_courier' ? p.carrier_id : null, at: iso(now) }))) return false;
      if (hall) await overdue.insertShelfItem(trx, { id: newId(deps.clock, deps.random), community_id: p.community_id, hall_id: hall.id, parcel_id: p.id, status: 'to_move', slot: null, created_at: iso(now), moved_at: null, handed_over_at: null, moved_by: null });
      await recordParcelEvent(trx, deps, p, { type: 'overdue', actorId: null, source: 'system', detail: { action, ...(hall ? { hallId: hall.id } : {}) } });
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
export async function overdueStatus(deps: Pick<AppDeps, 'db' | 'clock'>, communityId: string, parcelId: string) {
  const p = await parcels.findParcel(deps.db, parcelId);
  if (!p || p.community_id !== communityId) throw notFound('That parcel');
  const [policy, taken] = await Promise.all([policyFor(deps.db, communityId), overdue.findOverdue(deps.db, parcelId)]);
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


// ── the hall's shelf ────────────────────────────────────────────────────────

/** A hall's shelf tasks and items. */
export async function listShelf(deps: Pick<AppDeps, 'db'>, hallId: string, f: { status?: ShelfStatus; limit: number; offset: number }) {
  return overdue.listShelf(deps.db, hallId, f);
}

async function loadItem(db: Executor, hallId: string, itemId: string) {
  const item = await overdue.findShelfItem(db, hallId, itemId);
  if (!item) throw notFound('That shelf item');
  const parcel = await parcels.findParcel(db, item.parcel_id);
  if (!parcel) throw notFound('That parcel');
  return { item, parcel };
}

/** Open the parcel's compartment so hall staff can take it out. */
export async function retrieveForHall(deps: AppDeps, actorId: string, hallId: string, itemId: string): Promise<{ commandId: string }> {
  const commandId = await deps.db.transaction().execute(async (trx) => {
    const { item, parcel } = await loadItem(trx, hallId, itemId);
    if (item.status !== 'to_move' || parcel.status !== 'stored') throw conflict('This parcel is no longer in the locker.');
    const { command } = await enqueueCommand(trx, deps, { lockerId: parcel.locker_id, communityId: parcel.community_id, body: { type: 'open', compartment: parcel.compartment, reason: 'retrieve', parcelId: parcel.id }, requestedBy: actorId, reason: 'overdue_to_hall' });
    await recordParcelEvent(trx, deps, parcel, { type: 'retrieve_requested', actorId, source: 'api', detail: { hallId, commandId: command.id } });
    return command.id;
  });
  deps.outbox.kick();
  return { commandId };
}

/** The parcel is on the hall's shelf: it leaves the locker's books and its recipient is told where (not the code). */
export async function shelve(deps: AppDeps, actorId: string, hallId: string, itemId: string, slot: string) {
  const lockerId = await deps.db.transaction().execute(async (trx) => {
    const { item, parcel } = await loadItem(trx, hallId, itemId);
    const hall = (await overdue.findHall(trx, hallId))!;
    const nowIso = iso(deps.clock.now());
    if (!(await overdue.transitionShelfItem(trx, item.id, 'to_move', { status: 'on_shelf', slot, moved_at: nowIso, moved_by: actorId }))) throw conflict('This parcel was already shelved.');
    if (!(await parcels.transition(trx, parcel.id, 'stored', { status: 'at_hall', updated_at: nowIso }))) throw conflict('This parcel is no longer in the locker.');
    // When the door already closed on an empty compartment the door hook has run: free it here.
    const c = await lockers.findCompartment(trx, parcel.locker_id, parcel.compartment);
    if (c && c.door === 'closed' && c.use === 'occupied' && c.occupied !== 'yes') await lockers.switchCompartmentUse(trx, parcel.locker_id, parcel.compartment, 'occupied', 'free', nowIso);
    await recordParcelEvent(trx, deps, parcel, { type: 'moved_to_hall', actorId, source: 'api', detail: { hallId, slot } });
    await tell(trx, deps, parcel, `【蚁巢】您的快递已转至${hall.name}，货架 ${slot}，凭原取件码领取。`);
    return parcel.locker_id;
  });
  // The locker must stop accepting the code offline.
  await syncLocker(deps, lockerId);
  return (await overdue.findShelfListItem(deps.db, hallId, itemId))!;
}

/** Hand a shelved parcel over against its pickup code (wrong codes are throttled per hall). */
export async function handOver(deps: AppDeps, actorId: string, hallId: string, itemId: string, code: string) {
  const wrongCodes = limit('hallWrongCodesPerHall', hallId);
  await refuseWhenReached(deps.db, deps.clock, wrongCodes);
  const { item, parcel } = await loadItem(deps.db, hallId, itemId);
  if (item.status !== 'on_shelf') throw conflict(item.status === 'to_move' ? 'Shelve the parcel first.' : 'This parcel was already handed over.');
  if (!parcel.code_hash || codeHash(codeKey(deps), parcel.locker_id, code) !== parcel.code_hash) {
    // Counted outside any transaction, so the hit survives the error.
    await hitLimits(deps.db, deps.clock, [wrongCodes]);
    throw new AppError('validation_failed', 'That code does not match this parcel.');
  }
  await deps.db.transaction().execute(async (trx) => {
    const nowIso = iso(deps.clock.now());
    if (!(await overdue.transitionShelfItem(trx, item.id, 'on_shelf', { status: 'handed_over', handed_over_at: nowIso }))) throw conflict('This parcel was already handed over.');
    if (!(await parcels.transition(trx, parcel.id, 'at_hall', { status: 'picked_up', picked_up_at: nowIso, updated_at: nowIso }))) throw conflict('This parcel is not at the hall.');
    await recordParcelEvent(trx, deps, parcel, { type: 'picked_up', actorId, source: 'api', detail: { via: 'hall', hallId } });
  });
  return (await overdue.findShelfListItem(deps.db, hallId, itemId))!;
}
