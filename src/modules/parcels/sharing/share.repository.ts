/** The only SQL on family shares of a pickup. */
import type { Executor } from '../../../db/database.ts';
import type { ParcelShareTable } from './share.table.ts';

export type ShareRow = ParcelShareTable;

export async function insertShare(db: Executor, row: ShareRow): Promise<void> {
  await db.insertInto('parcel_shares').values(row).execute();
}

/** A parcel's shares that are still in force, oldest first. */
export async function activeShares(db: Executor, parcelId: string): Promise<ShareRow[]> {
  return db
    .selectFrom('parcel_shares')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Whether this phone holds a share of this parcel in force. */
export async function hasActiveShare(
  db: Executor,
  parcelId: string,
  phoneHash: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('parcel_shares')
    .select('id')
    .where('parcel_id', '=', parcelId)
    .where('phone_hash', '=', phoneHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r !== undefined;
}

/** Ids of parcels shared with this phone and still in force. */
export async function parcelIdsSharedWith(db: Executor, phoneHash: string): Promise<string[]> {
  const rows = await db
    .selectFrom('parcel_shares')
    .select('parcel_id')
    .distinct()
    .where('phone_hash', '=', phoneHash)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.parcel_id);
}

/** Revoke one share of a parcel; false when it was not in force. */
export async function revokeShare(
  db: Executor,
  parcelId: string,
  shareId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('parcel_shares')
    .set({ revoked_at: nowIso, phone_cipher: null })
    .where('id', '=', shareId)
    .where('parcel_id', '=', parcelId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** End every share of these parcels and blank the phones (the parcels finished or were de-identified). */
export async function endSharesOf(
  db: Executor,
  parcelIds: string[],
  nowIso: string,
): Promise<void> {
  if (parcelIds.length === 0) return;
  await db
    .updateTable('parcel_shares')
    .set({ revoked_at: nowIso, phone_cipher: null })
    .where('parcel_id', 'in', parcelIds)
    .where('revoked_at', 'is', null)
    .execute();
  // The keyed hash is personal data too; '-' never equals a real hash.
  await db
    .updateTable('parcel_shares')
    .set({ phone_cipher: null, phone_hash: '-' })
    .where('parcel_id', 'in', parcelIds)
    .execute();
}
