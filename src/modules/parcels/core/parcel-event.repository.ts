/** The only SQL on parcel events. */
import type { Executor } from '../../../db/database.ts';
import type { ParcelEventTable } from './parcel.table.ts';

export type ParcelEventRow = ParcelEventTable;

/** Record a parcel event. */
export async function insertParcelEvent(db: Executor, row: ParcelEventRow): Promise<void> {
  await db.insertInto('parcel_events').values(row).execute();
}

/** A parcel's events, oldest first. */
export async function parcelEvents(db: Executor, parcelId: string): Promise<ParcelEventRow[]> {
  return db
    .selectFrom('parcel_events')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Whether a parcel event with this id exists (sweeps use fixed ids as once-only markers). */
export async function parcelEventExists(db: Executor, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('parcel_events').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}
