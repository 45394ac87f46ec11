/** Reading parcels per audience, and the recipient opening their own compartment from the app. */
import { disinfectedFor } from '../../lockers/index.ts';
import { findUserById } from '../../identity/index.ts';
import { findCarrier, findHall } from '../../places/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { Executor } from '../../../db/database.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import {
  type HallPlace,
  type PlaceOfLocker,
  presentForRecipient,
  presentSent,
} from './parcel.presenter.ts';
import * as shelfRepo from '../overdue/hall-shelf.repository.ts';
import * as parcels from './parcel.repository.ts';
import * as recipientRepo from './recipient.repository.ts';
import * as shares from '../sharing/share.repository.ts';
import { openForPickup } from '../pickup/pickup.service.ts';

async function recipientPhoneHash(db: Executor, userId: string): Promise<string | null> {
  return (await findUserById(db, userId))?.phone_hash ?? null;
}

/** How a user may reach a parcel: addressed to them, or shared with them by its recipient. */
export type ParcelAccess = 'recipient' | 'shared';

/** A parcel addressed to this user (by account or phone), or 404 — never someone else's. Pass the transaction when inside one. */
export async function ownParcel(
  db: Executor,
  userId: string,
  parcelId: string,
): Promise<parcels.ParcelRow> {
  const p = await parcels.findParcel(db, parcelId);
  const phoneHash = await recipientPhoneHash(db, userId);
  if (
    !p ||
    !(
      p.recipient_user_id === userId ||
      (phoneHash !== null && p.recipient_phone_hash === phoneHash)
    )
  )
    throw notFound('That parcel');
  return p;
}

/** A parcel this user may see and open: their own, or one shared with their phone and not revoked; 404 otherwise. */
export async function reachableParcel(
  db: Executor,
  userId: string,
  parcelId: string,
): Promise<{ parcel: parcels.ParcelRow; access: ParcelAccess }> {
  const p = await parcels.findParcel(db, parcelId);
  const phoneHash = await recipientPhoneHash(db, userId);
  if (
    p &&
    (p.recipient_user_id === userId || (phoneHash !== null && p.recipient_phone_hash === phoneHash))
  )
    return { parcel: p, access: 'recipient' };
  if (p && phoneHash !== null && (await shares.hasActiveShare(db, p.id, phoneHash)))
    return { parcel: p, access: 'shared' };
  throw notFound('That parcel');
}

async function placeOf(deps: AppDeps, p: parcels.ParcelRow): Promise<PlaceOfLocker> {
  const place = await parcels.lockerPlace(deps.db, p.locker_id);
  const carrier = p.carrier_id ? await findCarrier(deps.db, p.carrier_id) : undefined;
  return {
    lockerName: place.locker,
    address: `${place.community} ${place.compound} ${place.site}`,
    carrier: carrier?.name ?? null,
    disinfectedAt: await disinfectedFor(deps.db, p),
  };
}

/** Where parcels moved to a service hall are: the hall, and the shelf slot once shelved. */
async function hallsOf(db: Executor, ps: parcels.ParcelRow[]): Promise<Map<string, HallPlace>> {
  const moved = ps.filter((p) => p.status === 'at_hall').map((p) => p.id);
  const rows = await shelfRepo.shelfOfParcels(db, moved);
  const halls = new Map<string, { name: string; address: string }>();
  for (const id of new Set(rows.map((r) => r.hall_id))) {
    const h = await findHall(db, id);
    if (h) halls.set(id, { name: h.name, address: h.address });
  }
  return new Map(
    rows.flatMap((r) => {
      const h = halls.get(r.hall_id);
      return h ? [[r.parcel_id, { ...h, slot: r.slot }] as const] : [];
    }),
  );
}

/** The user's parcels waiting for them (live) or also recently picked up, with those shared with them. */
export async function myParcels(deps: AppDeps, userId: string, include: 'live' | 'recent') {
  const phoneHash = await recipientPhoneHash(deps.db, userId);
  const own = await recipientRepo.parcelsOfRecipient(deps.db, userId, phoneHash, {
    live: include === 'live',
    limit: 100,
  });
  const ownIds = new Set(own.map((p) => p.id));
  const sharedIds = phoneHash
    ? (await shares.parcelIdsSharedWith(deps.db, phoneHash)).filter((id) => !ownIds.has(id))
    : [];
  const shared = await recipientRepo.parcelsByIds(
    deps.db,
    sharedIds,
    include === 'live' ? ['stored', 'at_hall'] : ['stored', 'at_hall', 'picked_up'],
  );
  const all = [
    ...own.map((p) => ({ p, access: 'recipient' as const })),
    ...shared.map((p) => ({ p, access: 'shared' as const })),
  ];
  all.sort((a, b) =>
    a.p.created_at < b.p.created_at ? 1 : a.p.created_at > b.p.created_at ? -1 : 0,
  );
  const halls = await hallsOf(
    deps.db,
    all.map(({ p }) => p),
  );
  return Promise.all(
    all.map(async ({ p, access }) =>
      presentForRecipient(
        p,
        await placeOf(deps, p),
        deps.config.secrets.phoneKey,
        access,
        halls.get(p.id) ?? null,
      ),
    ),
  );
}

/** One of the user's parcels (own or shared with them). */
export async function myParcel(deps: AppDeps, userId: string, parcelId: string) {
  const { parcel, access } = await reachableParcel(deps.db, userId, parcelId);
  const halls = await hallsOf(deps.db, [parcel]);
  return presentForRecipient(
    parcel,
    await placeOf(deps, parcel),
    deps.config.secrets.phoneKey,
    access,
    halls.get(parcel.id) ?? null,
  );
}

/** What the user deposited for a neighbour or sent with a carrier, newest first (the neighbour's code is not shown). */
export async function mySent(deps: AppDeps, userId: string, sinceIso: string, limit: number) {
  const rows = await recipientRepo.sentBy(deps.db, userId, sinceIso, limit);
  return Promise.all(rows.map(async (p) => presentSent(p, await placeOf(deps, p), deps.vault)));
}

/**
 * The recipient opens the compartment from the app while standing at the locker. One
 * open per parcel at a time: repeating the request while it is in flight returns the
 * same command.
 */
export async function openMyParcel(deps: AppDeps, userId: string, parcelId: string) {
  const command = await deps.db.transaction().execute(async (trx) => {
    const { parcel: p } = await reachableParcel(trx, userId, parcelId);
    if (p.status !== 'stored')
      throw conflict(
        p.status === 'picked_up'
          ? 'This parcel was already picked up.'
          : 'This parcel is not in a compartment yet.',
      );
    if (p.code_expires_at && p.code_expires_at <= iso(deps.clock.now()))
      throw new AppError(
        'conflict',
        'The pickup period ended; the parcel is being moved to the service hall.',
      );
    const command = await openForPickup(trx, deps, userId, p, 'app');
    return command;
  });
  deps.outbox.kick();
  return command;
}
