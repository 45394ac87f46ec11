/** The only SQL on the parcels of a person: for a recipient, by a depositor, sent by a resident. */
import type { Executor } from '../../../db/database.ts';
import type { ParcelStatus } from './parcel.table.ts';
import type { ParcelRow } from './parcel.repository.ts';

/** A recipient's parcels (by account or by phone), newest first. */
export async function parcelsOfRecipient(
  db: Executor,
  userId: string,
  phoneHash: string | null,
  opts: { live: boolean; limit: number },
): Promise<ParcelRow[]> {
  let q = db
    .selectFrom('parcels')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('recipient_user_id', '=', userId),
        ...(phoneHash ? [eb('recipient_phone_hash', '=', phoneHash)] : []),
      ]),
    );
  q = opts.live
    ? q.where('status', 'in', ['stored', 'at_hall'])
    : q.where('status', 'in', ['stored', 'at_hall', 'picked_up']);
  return q.orderBy('created_at', 'desc').limit(opts.limit).execute();
}

/** These parcels, when in one of the statuses. */
export async function parcelsByIds(
  db: Executor,
  ids: string[],
  statuses: ParcelStatus[],
): Promise<ParcelRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('id', 'in', ids)
    .where('status', 'in', statuses)
    .execute();
}

/** What a resident deposited for a neighbour or sent since an instant, newest first. */
export async function sentBy(
  db: Executor,
  userId: string,
  sinceIso: string,
  limit: number,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('depositor_id', '=', userId)
    .where('kind', 'in', ['neighbour', 'outgoing'])
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Parcels a depositor made since an instant, newest first. */
export async function parcelsOfDepositor(
  db: Executor,
  userId: string,
  sinceIso: string,
  limit: number,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('depositor_id', '=', userId)
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Give parcels addressed to a phone to the account that now owns it. */
export async function linkParcelsToUser(
  db: Executor,
  phoneHash: string,
  userId: string,
): Promise<void> {
  await db
    .updateTable('parcels')
    .set({ recipient_user_id: userId })
    .where('recipient_phone_hash', '=', phoneHash)
    .where('recipient_user_id', 'is', null)
    .execute();
}
