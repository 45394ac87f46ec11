/**
 * Parcels following the locker's answers to commands: a door opened for a deposit, a
 * pickup, a collection or a hall retrieve settles its parcel. Runs inside the ingest
 * transaction of the device's answer.
 */
import type { CommandResponse } from '../../../contract/index.ts';
import type { Executor } from '../../../db/database.ts';
import type { CommandRow } from '../../lockers/index.ts';
import * as lockers from '../../lockers/index.ts';
import { hallRetrieveAnswered, isHallRetrieve } from '../overdue/hall-move.hooks.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as notificationRepo from '../core/notification.repository.ts';
import type { LockerChanged } from './locker-sync.service.ts';
import { cancelReservation } from '../deposit/reservation.service.ts';
import { settleGroup } from '../pickup/group-pickup.service.ts';

export async function onResponse(
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
  const opened = r.status === 'opened' || r.status === 'already_open';
  const nowIso = iso(deps.clock.now());
  // The usual answer, a pickup that opened: settled by one conditional update that returns the parcel.
  if (body.reason === 'pickup' && opened) {
    const picked = await parcels.transitionAt(db, body.parcelId, locker.id, 'stored', {
      status: 'picked_up',
      picked_up_at: nowIso,
      pickup_command_id: cmd.id,
      updated_at: nowIso,
    });
    if (picked) await pickedUp(db, deps, picked, cmd, r, nowIso);
    return;
  }
  const p = await parcels.findParcel(db, body.parcelId);
  if (!p || p.locker_id !== locker.id) return;
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
    // A collection ('retrieve'; a pickup went above).
    if (
      await parcels.transition(db, p.id, 'stored', {
        status: 'picked_up',
        picked_up_at: nowIso,
        pickup_command_id: cmd.id,
        updated_at: nowIso,
      })
    ) {
      await pickedUp(db, deps, p, cmd, r, nowIso);
      // A pickup's code was spent by the locker itself when it opened (`spendCompartmentCodes`),
      // so a pickup needs no new sync; a collection still syncs.
      changed(locker.id);
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

/** A parcel just left by an opened pickup or collection: its event, and its group mates follow it. */
async function pickedUp(
  db: Executor,
  deps: AppDeps,
  p: parcels.ParcelRow,
  cmd: CommandRow,
  r: CommandResponse,
  nowIso: string,
): Promise<void> {
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
  await notificationRepo.insertNotification(db, {
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
    await notificationRepo.insertNotification(db, {
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
