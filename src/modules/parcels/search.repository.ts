/** SQL of the staff parcel search (kept apart from parcel.repository.ts). */
import type { Executor } from '../../db/database.ts';
import type { ParcelRow } from './parcel.repository.ts';

/** Parcels of a community matching a waybill fragment, a recipient phone hash or a locker id; newest first. */
export async function searchParcels(db: Executor, communityId: string, q: { text?: string; phoneHash?: string; status?: string }, limit: number): Promise<ParcelRow[]> {
  let query = db.selectFrom('parcels').selectAll().where('community_id', '=', communityId);
  if (q.status) query = query.where('status', '=', q.status as ParcelRow['status']);
  if (q.phoneHash) query = query.where('recipient_phone_hash', '=', q.phoneHash);
  else if (q.text) {
    // Wildcards are dropped rather than escaped: SQLite has no default LIKE escape character.
    const like = `%${q.text.replace(/[\\%_]/g, '')}%`;
    query = query.where((eb) => eb.or([eb('waybill', 'like', like), eb('locker_id', '=', q.text!)]));
  }
  return query.orderBy('created_at', 'desc').limit(limit).execute();
}
