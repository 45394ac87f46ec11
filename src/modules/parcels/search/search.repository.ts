/** SQL of the staff parcel search (kept apart from parcel.repository.ts). */
import type { Executor } from '../../../db/database.ts';
import { lockerIdsAtSites } from '../../lockers/index.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';

/** What staff search by: one of waybill/locker text, a full phone's hash or a phone's last four digits. */
export interface ParcelQuery {
  text?: string;
  phoneHash?: string;
  phoneTail?: string;
  status?: string;
  /** Only parcels in lockers at these sites (the caller's area); null = the whole community. */
  siteIds?: readonly string[] | null;
}

/** Parcels of a community matching the query, newest first. */
export async function searchParcels(
  db: Executor,
  communityId: string,
  q: ParcelQuery,
  limit: number,
): Promise<ParcelRow[]> {
  if (q.siteIds && q.siteIds.length === 0) return [];
  // The lockers at those sites come from lockers (a module's SQL touches only its own tables).
  const lockerIds = q.siteIds ? await lockerIdsAtSites(db, q.siteIds) : undefined;
  if (lockerIds && lockerIds.length === 0) return [];
  let query = db.selectFrom('parcels').selectAll().where('community_id', '=', communityId);
  if (lockerIds) query = query.where('locker_id', 'in', lockerIds);
  if (q.status) query = query.where('status', '=', q.status as ParcelRow['status']);
  if (q.phoneHash) query = query.where('recipient_phone_hash', '=', q.phoneHash);
  else if (q.phoneTail) query = query.where('recipient_phone_tail', '=', q.phoneTail);
  else if (q.text) {
    // Wildcards are dropped rather than escaped: SQLite has no default LIKE escape character.
    const like = `%${q.text.replace(/[\\%_]/g, '')}%`;
    query = query.where((eb) =>
      eb.or([eb('waybill', 'like', like), eb('locker_id', '=', q.text!)]),
    );
  }
  return query.orderBy('created_at', 'desc').limit(limit).execute();
}

/** Parcels with a phone but no tail yet (stored before the tail column). */
export async function parcelsWithoutTail(
  db: Executor,
  limit: number,
): Promise<{ id: string; recipient_phone_cipher: string }[]> {
  const rows = await db
    .selectFrom('parcels')
    .select(['id', 'recipient_phone_cipher'])
    .where('recipient_phone_tail', 'is', null)
    .where('recipient_phone_cipher', 'is not', null)
    .limit(limit)
    .execute();
  return rows as { id: string; recipient_phone_cipher: string }[];
}

/** Record a parcel's phone tail. */
export async function setPhoneTail(db: Executor, id: string, tail: string): Promise<void> {
  await db
    .updateTable('parcels')
    .set({ recipient_phone_tail: tail })
    .where('id', '=', id)
    .execute();
}
