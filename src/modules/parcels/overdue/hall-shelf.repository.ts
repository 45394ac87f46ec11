/** The only SQL on the hall shelf: the items kept there (the halls themselves are places'). */
import type { Kysely } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';
import type { HallShelfItemTable, OverdueTables, ShelfStatus } from './overdue.table.ts';

export type ShelfItemRow = HallShelfItemTable;

// Typed view including this module's tables; a no-op once db/schema.ts joins OverdueTables into DB.
const q = (db: Executor) => db as unknown as Kysely<DB & OverdueTables>;

export async function insertShelfItem(db: Executor, row: ShelfItemRow): Promise<void> {
  await q(db)
    .insertInto('hall_shelf_items')
    .values(row)
    .onConflict((oc) => oc.column('parcel_id').doNothing())
    .execute();
}

export async function findShelfItem(
  db: Executor,
  hallId: string,
  itemId: string,
): Promise<ShelfItemRow | undefined> {
  return q(db)
    .selectFrom('hall_shelf_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('hall_id', '=', hallId)
    .executeTakeFirst();
}

/** The shelf item of a parcel (one per parcel), at whichever hall. */
export async function findShelfItemOfParcel(
  db: Executor,
  parcelId: string,
): Promise<ShelfItemRow | undefined> {
  return q(db)
    .selectFrom('hall_shelf_items')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .executeTakeFirst();
}

/** Shelf items of several parcels (the resident's list says at which hall each is). */
export async function shelfOfParcels(db: Executor, parcelIds: string[]): Promise<ShelfItemRow[]> {
  if (parcelIds.length === 0) return [];
  return q(db)
    .selectFrom('hall_shelf_items')
    .selectAll()
    .where('parcel_id', 'in', parcelIds)
    .execute();
}

/** A shelf item with where its parcel sits (or sat) in a locker. */
export type ShelfListRow = ShelfItemRow & {
  locker_id: string;
  compartment: number;
  size: ParcelRow['size'];
  parcel_status: ParcelRow['status'];
};

/**
 * A hall's shelf, oldest first; all statuses unless one is named. A parcel still to move
 * that its recipient picked up at the locker meanwhile is nothing to do: left out.
 */
export async function listShelf(
  db: Executor,
  hallId: string,
  f: { status?: ShelfStatus; limit: number; offset: number },
): Promise<ShelfListRow[]> {
  let s = q(db)
    .selectFrom('hall_shelf_items as h')
    .innerJoin('parcels as p', 'p.id', 'h.parcel_id')
    .selectAll('h')
    .select(['p.locker_id', 'p.compartment', 'p.size', 'p.status as parcel_status'])
    .where('h.hall_id', '=', hallId)
    .where((eb) =>
      eb.or([eb('h.status', '!=', 'to_move'), eb('p.status', 'in', ['stored', 'at_hall'])]),
    );
  if (f.status) s = s.where('h.status', '=', f.status);
  return s.orderBy('h.created_at').orderBy('h.id').limit(f.limit).offset(f.offset).execute();
}

/** One shelf item with its parcel's locker place; undefined when not at this hall. */
export async function findShelfListItem(
  db: Executor,
  hallId: string,
  itemId: string,
): Promise<ShelfListRow | undefined> {
  return q(db)
    .selectFrom('hall_shelf_items as h')
    .innerJoin('parcels as p', 'p.id', 'h.parcel_id')
    .selectAll('h')
    .select(['p.locker_id', 'p.compartment', 'p.size', 'p.status as parcel_status'])
    .where('h.hall_id', '=', hallId)
    .where('h.id', '=', itemId)
    .executeTakeFirst();
}

/** Move a shelf item on only if it is still in the expected status; false when another change won. */
export async function transitionShelfItem(
  db: Executor,
  id: string,
  from: ShelfStatus,
  patch: Partial<ShelfItemRow>,
): Promise<boolean> {
  const r = await q(db)
    .updateTable('hall_shelf_items')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
