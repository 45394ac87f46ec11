/**
 * Overdue parcels (issue 4, item 8; reminders from item 3). Each community sets free
 * hours, when to remind, and what happens after: a capped fee, a move to the service
 * hall (staff fetch it, shelve it, and hand it over against the same code), or a return
 * to the depositor's carrier. The sweep is idempotent: one reminder and one overdue
 * action per parcel, tracked in their own tables.
 */
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { notFound } from '../../../platform/errors.ts';
import * as overdue from './overdue.repository.ts';
import { lockerPlaces } from '../../lockers/index.ts';
import { firstHallOf } from './hall-shelf.service.ts';
import * as shelfRepo from './hall-shelf.repository.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import { tellRecipient } from '../notices/notice.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import {
  afterDeadlineText,
  deadlineText,
  HOUR,
  MAX_REMINDER_HOURS,
  overdueFee,
  policyFor,
  policyMap,
} from './overdue.policy.ts';
import { compartmentText } from '../core/compartment-text.ts';

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
    const place = (await lockerPlaces(deps.db, [p.locker_id])).get(p.locker_id);
    const where = compartmentText(place, p.compartment);
    const text = `【蚁巢】您存放在${where}的快递即将超过免费保管期，请凭取件码于${deadlineText(p.free_until!)}前取件。${afterDeadlineText(policy)}`;
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await overdue.markReminded(trx, p.id, iso(now)))) return false;
      await tellRecipient(trx, deps, p, text, { topic: 'overdue_reminder' });
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
    const hall = action === 'move_to_hall' ? await firstHallOf(deps.db, p.community_id) : undefined;
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
        await shelfRepo.insertShelfItem(trx, {
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
