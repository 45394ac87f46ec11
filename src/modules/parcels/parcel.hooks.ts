/**
 * How parcels follow the locker: the door closing on a reserved compartment with
 * something inside stores the parcel; a door opened for a pickup settles it; an offline
 * pickup reported on reconnect settles it too; a code typed on the screen is checked
 * here. Every hook runs inside the ingest transaction of the device message.
 */
import type { CommandResponse, LockerFact } from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import type { CommandRow, LockerHooks, ScreenDecision } from '../lockers/index.ts';
import * as lockers from '../lockers/index.ts';
import { freeCompartment, occupyCompartment, reserveCompartment } from '../lockers/index.ts';
import { depositFromScreen } from './screen-deposit.service.ts';
import { markDisinfected } from './disinfection.hooks.ts';
import { hallRetrieveAnswered, isHallRetrieve } from './hall-move.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { LIMITS, limit } from '../../platform/limits.ts';
import { hitLimits, type Limit, limitReached } from '../../platform/rate-limit.ts';
import { recordParcelEvent } from './parcel.events.ts';
import * as parcels from './parcel.repository.ts';
import { codeHash, codeKey } from './pickup-code.ts';
import { storeParcel } from './store.service.ts';

/** Wrong codes allowed per locker per 10 minutes before the screen refuses codes (docs/security.md has the math). */
export const WRONG_CODES_PER_LOCKER = LIMITS.pickupWrongCodesPerLocker.max;

/** Called when the set of stored parcels at a locker changed (its offline verifiers need a sync). */
export type LockerChanged = (lockerId: string) => void;

/** The lockers module's hooks, implemented by parcels. */
export function parcelHooks(deps: AppDeps, changed: LockerChanged): LockerHooks {
  const wrongLimit = (lockerId: string): Limit => limit('pickupWrongCodesPerLocker', lockerId);
  return {
    async onFact(db, locker, fact) {
      await onFact(db, deps, locker, fact, changed);
    },
    async onResponse(db, locker, cmd, response) {
      await onResponse(db, deps, locker, cmd, response, changed);
    },
    async onOnline(_db, locker) {
      // A locker back online (or new) gets the full set of codes and its screen key again.
      changed(locker.id);
    },
    async onCodeEntered(db, locker, code): Promise<ScreenDecision> {
      const limit = wrongLimit(locker.id);
      if (await limitReached(db, deps.clock, limit)) return { refuse: 'throttled' };
      const p = await parcels.storedByCode(db, locker.id, codeHash(codeKey(deps), locker.id, code));
      if (!p || (p.code_expires_at !== null && p.code_expires_at <= iso(deps.clock.now()))) {
        await hitLimits(db, deps.clock, [limit]).catch(() => {});
        return { refuse: 'wrong_code' };
      }
      await recordParcelEvent(db, deps, p, {
        type: 'pickup_requested',
        actorId: null,
        source: 'device',
        detail: { via: 'keypad', lockerId: locker.id },
      });
      return { open: p.compartment, reason: 'pickup', parcelId: p.id };
    },
    onDepositRequested: (locker, request, openCommandId) =>
      depositFromScreen(deps, locker, request, openCommandId),
  };
}

async function onFact(
  db: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  f: LockerFact,
  changed: LockerChanged,
): Promise<void> {
  if (f.type === 'uv_done') return markDisinfected(db, deps, locker, f);
  const nowIso = iso(deps.clock.now());
  if (f.type === 'door_closed' || (f.type === 'occupancy' && f.occupied)) {
    const c = await lockers.findCompartment(db, locker.id, f.compartment);
    if (!c || c.door !== 'closed') return;
    const live = await parcels.liveParcelsAt(db, locker.id, f.compartment);
    // Leads first: a parcel that joined another one takes the lead's code once both are stored.
    const reserved = live
      .filter((p) => p.status === 'reserved')
      .sort((a, b) => Number(a.together_with !== null) - Number(b.together_with !== null));
    if (reserved.length > 0) {
      if (c.occupied === 'no') {
        if (f.type === 'door_closed')
          for (const p of reserved) await cancelReservation(db, deps, p, 'closed_empty');
        return;
      }
      let any = false;
      for (const p of reserved) any = (await storeParcel(db, deps, p, 'device')) || any;
      if (any) changed(locker.id);
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
      }
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

async function onResponse(
  db: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  cmd: CommandRow,
  r: CommandResponse,
  changed: LockerChanged,
): Promise<void> {
  if (cmd.type !== 'open') return;
  const body = JSON.parse(cmd.body) as { reason: string; parcelId?: string };
  if (!body.parcelId) return;
  const p = await parcels.findParcel(db, body.parcelId);
  if (!p || p.locker_id !== locker.id) return;
  const opened = r.status === 'opened' || r.status === 'already_open';
  const nowIso = iso(deps.clock.now());
  if (body.reason === 'deposit') {
    await recordParcelEvent(db, deps, p, {
      type: opened ? 'door_opened_for_deposit' : 'deposit_open_failed',
      actorId: null,
      source: 'device',
      detail: { status: r.status, commandId: cmd.id },
    });
    if (!opened && p.status === 'reserved') await cancelReservation(db, deps, p, r.status);
    return;
  }
  // Hall staff fetching an overdue parcel: it moves to the hall (hall-move.ts), it is not returned.
  if (body.reason === 'retrieve' && (await isHallRetrieve(db, p))) {
    if (await hallRetrieveAnswered(db, deps, p, cmd.id, r.status)) changed(locker.id);
    return;
  }
  // 'retrieve': a carrier's courier collecting an outgoing parcel settles it like a pickup.
  const pickup = body.reason === 'pickup' || body.reason === 'retrieve';
  // A courier taking back an overdue delivery (policy 'return_to_courier') returns it rather than picking it up.
  const returning = body.reason === 'retrieve' && p.kind !== 'outgoing';
  if (returning && opened) {
    if (
      await parcels.transition(db, p.id, 'stored', {
        status: 'returned',
        pickup_command_id: cmd.id,
        updated_at: nowIso,
      })
    ) {
      await recordParcelEvent(db, deps, p, {
        type: 'returned',
        actorId: cmd.requested_by,
        source: 'device',
        detail: { commandId: cmd.id },
      });
      await settleGroup(
        db,
        deps,
        p,
        { status: 'returned', pickup_command_id: cmd.id },
        { commandId: cmd.id, with: p.id },
      );
      await tellReturned(db, deps, p);
      changed(locker.id);
    }
  } else if (pickup && opened) {
    if (
      await parcels.transition(db, p.id, 'stored', {
        status: 'picked_up',
        picked_up_at: nowIso,
        pickup_command_id: cmd.id,
        updated_at: nowIso,
      })
    ) {
      await recordParcelEvent(db, deps, p, {
        type: 'picked_up',
        actorId: cmd.requested_by,
        source: 'device',
        detail: { commandId: cmd.id, status: r.status },
      });
      await settleGroup(
        db,
        deps,
        p,
        { picked_up_at: nowIso, pickup_command_id: cmd.id },
        { commandId: cmd.id, with: p.id },
      );
      // The locker spent this compartment's code itself when it opened for the pickup
      // (`spendCompartmentCodes`), so no new sync is needed; a collection ('retrieve') still syncs.
      if (body.reason !== 'pickup') changed(locker.id);
    }
  } else if (pickup) {
    await recordParcelEvent(db, deps, p, {
      type: 'pickup_open_failed',
      actorId: null,
      source: 'device',
      detail: { status: r.status, commandId: cmd.id },
    });
  }
}

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
    const asked = (await parcels.parcelEvents(db, p.id)).some((e) => e.type === 'pickup_requested');
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

/** Tell the recipient their overdue parcel went back to the carrier (no code in it: the code is dead). */
async function tellReturned(db: Executor, deps: AppDeps, p: parcels.ParcelRow): Promise<void> {
  if (!p.recipient_phone_cipher) return;
  const now = iso(deps.clock.now());
  const text = `【蚁巢】您的快递（运单尾号${(p.waybill ?? '').slice(-4)}）超过保管期未取，已退回快递公司，请联系快递员重新派送。`;
  const base = {
    community_id: p.community_id,
    parcel_id: p.id,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  };
  await parcels.insertNotification(db, {
    ...base,
    id: newId(deps.clock, deps.random),
    user_id: p.recipient_user_id,
    channel: 'sms',
    phone_cipher: p.recipient_phone_cipher,
    body: text,
    status: 'pending',
    sent_at: null,
  });
  if (p.recipient_user_id)
    await parcels.insertNotification(db, {
      ...base,
      id: newId(deps.clock, deps.random),
      user_id: p.recipient_user_id,
      channel: 'app',
      phone_cipher: null,
      body: text,
      status: 'sent',
      sent_at: now,
    });
}

/** Parcels that shared the compartment and code of one just picked up leave with it. */
async function settleGroup(
  db: Executor,
  deps: AppDeps,
  p: parcels.ParcelRow,
  patch: Partial<Omit<parcels.ParcelRow, 'status'>> & { status?: 'picked_up' | 'returned' },
  detail: Record<string, unknown>,
): Promise<void> {
  const nowIso = iso(deps.clock.now());
  for (const mate of await parcels.groupMates(db, p)) {
    if (
      await parcels.transition(db, mate.id, 'stored', {
        status: 'picked_up',
        ...patch,
        updated_at: nowIso,
      })
    ) {
      await recordParcelEvent(db, deps, mate, {
        type: patch.status ?? 'picked_up',
        actorId: null,
        source: 'device',
        detail: { ...detail, together: true },
      });
    }
  }
}

/** Give a reservation up: the parcel is cancelled and the compartment freed once its door is shut. */
export async function cancelReservation(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  p: parcels.ParcelRow,
  why: string,
): Promise<void> {
  const nowIso = iso(ctx.clock.now());
  if (
    !(await parcels.transition(db, p.id, 'reserved', {
      status: 'cancelled',
      reserved_until: null,
      updated_at: nowIso,
    }))
  )
    return;
  const c = await lockers.findCompartment(db, p.locker_id, p.compartment);
  // Others in its group keep the compartment: still reserved while one of them is, occupied once all are stored.
  const others = await parcels.liveParcelsAt(db, p.locker_id, p.compartment);
  if (c && c.use === 'reserved' && !others.some((o) => o.status === 'reserved')) {
    if (others.length > 0) await occupyCompartment(db, p.locker_id, p.compartment, nowIso);
    else if (c.door !== 'open')
      await freeCompartment(db, p.locker_id, p.compartment, 'reserved', nowIso);
  }
  await recordParcelEvent(db, ctx, p, {
    type: 'reservation_cancelled',
    actorId: null,
    source: 'system',
    detail: { why },
  });
}
