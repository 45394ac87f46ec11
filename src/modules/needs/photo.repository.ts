/** SQL of request photos (bytes in the database, ADR 0024). */
import type { Executor } from '../../db/database.ts';
import type { NeedPhotoTable } from './need.table.ts';

export type PhotoRow = NeedPhotoTable;

/** Store one uploaded photo (not yet attached to a request). */
export async function insertPhoto(db: Executor, row: PhotoRow): Promise<void> {
  await db.insertInto('need_photos').values(row).execute();
}

/** One photo's bytes and owner. */
export async function findPhoto(db: Executor, id: string): Promise<PhotoRow | undefined> {
  return db.selectFrom('need_photos').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Attach the owner's unattached photos to a request; returns how many were attached. */
export async function attachPhotos(
  db: Executor,
  ids: readonly string[],
  ownerId: string,
  needId: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable('need_photos')
    .set({ need_id: needId })
    .where('id', 'in', [...ids])
    .where('owner_id', '=', ownerId)
    .where('need_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Ids of the photos of some requests, by request. */
export async function photoIdsOf(
  db: Executor,
  needIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (needIds.length === 0) return out;
  const rows = await db
    .selectFrom('need_photos')
    .select(['id', 'need_id'])
    .where('need_id', 'in', [...needIds])
    .orderBy('created_at')
    .execute();
  for (const r of rows) out.set(r.need_id!, [...(out.get(r.need_id!) ?? []), r.id]);
  return out;
}

/** How many photos a user uploaded since an instant (the upload allowance). */
export async function uploadsSince(db: Executor, ownerId: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('need_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
