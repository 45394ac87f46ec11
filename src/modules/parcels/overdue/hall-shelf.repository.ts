/** The only SQL on the hall shelf: the hall overdue parcels go to and the items kept there. */
import type { Kysely } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';
import type { HallShelfItemTable, OverdueTables, ShelfStatus } from './overdue.table.ts';

export type ShelfItemRow = HallShelfItemTable;

// Typed view including this module's tables; a no-op once db/schema.ts joins OverdueTables into DB.
const q = (db: Executor) => db as unknown as Kysely<DB & OverdueTables>;

/** The community's first service hall (by creation), where overdue parcels go. */
export async function firstHallOf(
  db: Executor,
  communityId: string,
): Promise<{ id: string; name: string } | undefined> {
  return q(db)
    .selectFrom('halls')
    .select(['id', 'name'])
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function findHall(
  db: Executor,
  hallId: string,
): Promise<{ id: string; name: string; address: string; community_id: string } | undefined> {
  return q(db)
    .selectFrom('halls')
    .select(['id', 'name', 'address', 'community_id'])
    .where('id', '=', hallId)
    .executeTakeFirst();
}

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

/** Shelf items of several parcels with their hall's name (the resident's list says where each is). */
export async function shelfOfParcels(
  db: Executor,
  parcelIds: string[],
): Promise<(ShelfItemRow & { hall_name: string; hall_address: string })[]> {
  if (parcelIds.length === 0) return [];
  return q(db)
    .selectFrom('hall_shelf_items as h')
    .innerJoin('halls as a', 'a.id', 'h.hall_id')
    .selectAll('h')
    .select(['a.name as hall_name', 'a.address as hall_address'])
    .where('h.parcel_id', 'in', parcelIds)
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

/** How a locker is named to a resident: compound, site and locker. */
export async function lockerPlace(
  db: Executor,
  lockerId: string,
): Promise<{ locker: string; site: string; compound: string } | undefined> {
  return q(db)
    .selectFrom('lockers as l')
    .innerJoin('locker_sites as s', 's.id', 'l.site_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .select(['l.name as locker', 's.name as site', 'c.name as compound'])
    .where('l.id', '=', lockerId)
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
