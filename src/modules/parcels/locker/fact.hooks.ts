/**
 * Parcels following the locker's facts: the door closing on a reserved compartment with
 * something inside stores the parcel; an emptied, shut compartment is freed; an offline
 * pickup reported on reconnect settles it; a late deposit revives its reservation. Runs
 * inside the ingest transaction of the device message.
 */
import type { LockerFact } from '../../../contract/index.ts';
import type { Executor } from '../../../db/database.ts';
import * as lockers from '../../lockers/index.ts';
import {
  clearAlert,
  freeCompartment,
  raiseAlert,
  reserveCompartment,
} from '../../lockers/index.ts';
import { markDisinfected } from './disinfection.hooks.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as eventRepo from '../core/parcel-event.repository.ts';
import { depositOutcome } from '../deposit/deposit-outcome.ts';
import { storeParcel } from '../deposit/store.service.ts';
import type { LockerChanged } from './locker-sync.service.ts';
import { cancelReservation } from '../deposit/reservation.service.ts';
import { settleGroup } from '../pickup/group-pickup.service.ts';

export async function onFact(
  db: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  f: LockerFact,
  changed: LockerChanged,
  /** The compartment as the fact left it, when lockers passed it on (else it is read). */
  compartment?: lockers.CompartmentRow,
): Promise<void> {
  if (f.type === 'uv_done') return markDisinfected(db, deps, locker, f, compartment);
  const nowIso = iso(deps.clock.now());
  if (f.type === 'door_closed' || (f.type === 'occupancy' && f.occupied)) {
    const found =
      compartment?.number === f.compartment
        ? compartment
        : await lockers.findCompartment(db, locker.id, f.compartment);
    if (!found || found.door !== 'closed') return;
    // v2: door_closed carries the occupancy as the door closed; it decides, whatever came before.
    const reported = f.type === 'door_closed' && f.occupied !== undefined;
    const c = reported ? { ...found, occupied: f.occupied ? 'yes' : 'no' } : found;
    const live = await parcels.liveParcelsAt(db, locker.id, f.compartment);
    const stored = live.filter((p) => p.status === 'stored');
    // Shut on what it should hold again: a missing-parcel alert on it has cleared.
    if (c.occupied === 'yes' && stored.length > 0)
      await clearAlert(db, deps, locker, 'parcel_missing', f.compartment);
    // Leads first: a parcel that joined another one takes the lead's code once both are stored.
    const reserved = live
      .filter((p) => p.status === 'reserved')
      .sort((a, b) => Number(a.together_with !== null) - Number(b.together_with !== null));
    if (reserved.length > 0) {
      if (c.occupied === 'no') {
        // v2 holds a door's close until the outcome of the open that opened it is recorded (ADR
        // 0032, fifth amendment): an empty close before the reservation's door was opened for it
        // ends an earlier opening whose facts were delayed (a staff open of the free compartment on
        // a lossy link), and must not cancel it. The lossy-network fault suite lost a parcel so
        // (seed ci-2026-12-05-net-sqlite): it went in, the door shut on it, it was cancelled.
        if (f.type === 'door_closed')
          for (const p of reserved)
            if (!reported || depositOutcome(p, await eventRepo.parcelEvents(db, p.id)) === 'opened')
              await cancelReservation(
                db,
                deps,
                p,
                reported ? CLOSED_EMPTY_REPORTED : 'closed_empty',
              );
        return;
      }
      // A v2 locker got each code with its deposit's open (ADR 0017, amended): no sync.
      let storedNow = false;
      let needSync = false;
      for (const p of reserved)
        if (await storeParcel(db, deps, p, 'device')) {
          storedNow = true;
          needSync ||= !(locker.contract_version === 'v2' && p.code_cipher);
        }
      // The recipient's notice goes out as soon as the store commits, with or without a sync.
      if (storedNow) changed(locker.id, needSync);
      return;
    }
    // Something went in after its reservation was given up (a slow courier, delayed or lost messages): take it in after all.
    if (
      live.length === 0 &&
      c.occupied === 'yes' &&
      (await reviveLateDeposit(db, deps, locker, f.compartment, c.use))
    ) {
      changed(locker.id);
      return;
    }
    // The door closed on an empty compartment whose parcel's pickup was asked for, but whose open
    // answer never came (the locker died mid-command: unknown_outcome): the sensor settles it.
    if (
      f.type === 'door_closed' &&
      c.occupied === 'no' &&
      live.length > 0 &&
      (await settleBySensor(db, deps, live))
    ) {
      changed(locker.id);
      // Emptied and shut: free again, unless something else still lives there.
      if (
        (await parcels.liveParcelsAt(db, locker.id, f.compartment)).length === 0 &&
        (c.use === 'occupied' || c.use === 'reserved')
      ) {
        await freeCompartment(db, locker.id, f.compartment, c.use, nowIso);
        await clearAlert(db, deps, locker, 'parcel_missing', f.compartment);
      }
      return;
    }
    // Shut on an empty compartment that should still hold stored parcels, and nobody asked for
    // them (a staff open, a forced door): the books and the sensor disagree. The parcel stays
    // stored (the sensor may be wrong; only a person can tell), and staff are told to check.
    if (f.type === 'door_closed' && c.occupied === 'no' && stored.length > 0) {
      await raiseAlert(db, deps, {
        communityId: locker.community_id,
        lockerId: locker.id,
        compartment: f.compartment,
        kind: 'parcel_missing',
        message: `Compartment ${f.compartment} was shut empty, but ${stored.length} stored parcel(s) should be in it and no pickup was asked for: check the compartment and record where the parcel went.`,
      });
      return;
    }
    // Nothing live inside any more (picked up, or a reservation that lapsed): the compartment is free again.
    if (
      live.length === 0 &&
      f.type === 'door_closed' &&
      (c.use === 'occupied' || c.use === 'reserved') &&
      c.occupied !== 'yes'
    ) {
      await freeCompartment(db, locker.id, f.compartment, c.use, nowIso);
      await clearAlert(db, deps, locker, 'parcel_missing', f.compartment);
    }
    return;
  }
  if (f.type === 'offline_pickup') {
    const p = await parcels.findParcel(db, f.parcelId);
    if (p && p.locker_id === locker.id && f.outcome !== 'door_jammed') {
      if (
        await parcels.transition(db, p.id, 'stored', {
          status: 'picked_up',
          picked_up_at: f.pickedUpAt,
          updated_at: nowIso,
        })
      ) {
        await recordParcelEvent(db, deps, p, {
          type: 'picked_up',
          actorId: null,
          source: 'device',
          detail: { via: 'offline_code', outcome: f.outcome, seq: f.seq },
        });
        await settleGroup(
          db,
          deps,
          p,
          { picked_up_at: f.pickedUpAt },
          { via: 'offline_code', with: p.id },
        );
        changed(locker.id);
      }
    }
  }
}

/** Why a reservation was cancelled when a v2 door_closed reported the compartment empty. */
const CLOSED_EMPTY_REPORTED = 'closed_empty_reported';

/** How long after a reservation lapsed a parcel found in its compartment is still taken in. */
export const LATE_DEPOSIT_MINUTES = 30;

/** A parcel whose reservation was cancelled (lapsed, a stale empty reading, a lost open answer), found inside after all: reserve it again and store it. */
async function reviveLateDeposit(
  db: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  compartment: number,
  use: string,
): Promise<boolean> {
  const since = iso(deps.clock.now() - LATE_DEPOSIT_MINUTES * 60_000);
  const p = await parcels.lapsedReservationAt(db, locker.id, compartment, since);
  if (!p) return false;
  // Cancelled because the door closed on a compartment the locker itself reported empty as
  // it closed (v2): a later occupancy reading does not make it a deposit.
  const cancelled = (await eventRepo.parcelEvents(db, p.id)).findLast(
    (e) => e.type === 'reservation_cancelled',
  );
  if (cancelled && (JSON.parse(cancelled.detail) as { why?: string }).why === CLOSED_EMPTY_REPORTED)
    return false;
  const nowIso = iso(deps.clock.now());
  if (use !== 'free' && use !== 'reserved') return false;
  if (use === 'free' && !(await reserveCompartment(db, locker.id, compartment, nowIso)))
    return false;
  if (
    !(await parcels.transition(db, p.id, 'cancelled', { status: 'reserved', updated_at: nowIso }))
  )
    return false;
  await recordParcelEvent(db, deps, p, {
    type: 'late_deposit_found',
    actorId: null,
    source: 'device',
    detail: { compartment },
  });
  return storeParcel(db, deps, { ...p, status: 'reserved' }, 'device');
}

/** Stored parcels in a compartment the sensor now reports empty: those whose pickup was asked for are picked up. */
async function settleBySensor(
  db: Executor,
  deps: AppDeps,
  live: parcels.ParcelRow[],
): Promise<boolean> {
  const nowIso = iso(deps.clock.now());
  let any = false;
  for (const p of live.filter((x) => x.status === 'stored')) {
    const asked = (await eventRepo.parcelEvents(db, p.id)).some(
      (e) => e.type === 'pickup_requested',
    );
    if (!asked) continue;
    if (
      await parcels.transition(db, p.id, 'stored', {
        status: 'picked_up',
        picked_up_at: nowIso,
        updated_at: nowIso,
      })
    ) {
      await recordParcelEvent(db, deps, p, {
        type: 'picked_up',
        actorId: null,
        source: 'device',
        detail: {
          via: 'sensor',
          why: 'door closed on an empty compartment after a pickup whose answer was lost',
        },
      });
      any = true;
    }
  }
  return any;
}
