/** Reading parcels per audience, and the recipient opening their own compartment from the app. */
import { enqueueCommand, stableCommandId } from '../lockers/command.service.ts';
import { findCompartment } from '../lockers/locker.repository.ts';
import { findUserById } from '../identity/user.repository.ts';
import { findCarrier } from '../places/places.repository.ts';
import { iso } from '../../platform/clock.ts';
import type { Executor } from '../../db/database.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { recordParcelEvent } from './parcel-events.ts';
import { type PlaceOfLocker, presentForRecipient } from './parcel.presenter.ts';
import * as parcels from './parcel.repository.ts';

async function recipientPhoneHash(db: Executor, userId: string): Promise<string | null> {
  return (await findUserById(db, userId))?.phone_hash ?? null;
}

/** A parcel addressed to this user (by account or phone), or 404 — never someone else's. Pass the transaction when inside one. */
export async function ownParcel(db: Executor, userId: string, parcelId: string): Promise<parcels.ParcelRow> {
  const p = await parcels.findParcel(db, parcelId);
  const phoneHash = await recipientPhoneHash(db, userId);
  if (!p || !(p.recipient_user_id === userId || (phoneHash !== null && p.recipient_phone_hash === phoneHash))) throw notFound('That parcel');
  return p;
}

async function placeOf(deps: AppDeps, p: parcels.ParcelRow): Promise<PlaceOfLocker> {
  const place = await parcels.lockerPlace(deps.db, p.locker_id);
  const carrier = p.carrier_id ? await findCarrier(deps.db, p.carrier_id) : undefined;
  const c = await findCompartment(deps.db, p.locker_id, p.compartment);
  return { lockerName: place.locker, address: `${place.community} ${place.compound} ${place.site}`, carrier: carrier?.name ?? null, lastDisinfectedAt: c?.last_disinfected_at ?? null };
}

/** The user's parcels waiting for them (live) or also recently picked up. */
export async function myParcels(deps: AppDeps, userId: string, include: 'live' | 'recent') {
  const rows = await parcels.parcelsOfRecipient(deps.db, userId, await recipientPhoneHash(deps.db, userId), { live: include === 'live', limit: 100 });
  return Promise.all(rows.map(async (p) => presentForRecipient(p, await placeOf(deps, p), deps.config.secrets.phoneKey)));
}

/** One of the user's parcels. */
export async function myParcel(deps: AppDeps, userId: string, parcelId: string) {
  const p = await ownParcel(deps.db, userId, parcelId);
  return presentForRecipient(p, await placeOf(deps, p), deps.config.secrets.phoneKey);
}

/**
 * The recipient opens the compartment from the app while standing at the locker. One
 * open per parcel at a time: repeating the request while it is in flight returns the
 * same command.
 */
export async function openMyParcel(deps: AppDeps, userId: string, parcelId: string) {
  const command = await deps.db.transaction().execute(async (trx) => {
    const p = await ownParcel(trx, userId, parcelId);
    if (p.status !== 'stored') throw conflict(p.status === 'picked_up' ? 'This parcel was already picked up.' : 'This parcel is not in a compartment yet.');
    if (p.code_expires_at && p.code_expires_at <= iso(deps.clock.now())) throw new AppError('conflict', 'The pickup period ended; the parcel is being moved to the service hall.');
    const { command, created } = await enqueueCommand(trx, deps, {
      lockerId: p.locker_id,
      communityId: p.community_id,
      body: { type: 'open', compartment: p.compartment, reason: 'pickup', parcelId: p.id },
      commandId: stableCommandId('app-pickup', p.id, String(Math.floor(deps.clock.now() / 60_000))),
      requestedBy: userId,
      reason: 'pickup from app',
    });
    if (created) await recordParcelEvent(trx, deps, p, { type: 'pickup_requested', actorId: userId, source: 'api', detail: { via: 'app', commandId: command.id } });
    return command;
  });
  deps.outbox.kick();
  return command;
}
