/** The only SQL on the places around the tree: halls, locker sites, police contacts and carriers. */
import type { Executor } from '../../db/database.ts';
import { RowCache } from '../../db/row-cache.ts';
import {
  type CarrierRow,
  type HallRow,
  type LockerSiteRow,
  naturalOrder,
  type Page,
  type PoliceContactRow,
} from './places.repository.ts';

/** Insert halls. */
export async function insertHalls(db: Executor, rows: HallRow | HallRow[]): Promise<void> {
  await db.insertInto('halls').values(rows).execute();
}

/** One hall by id. */
export async function findHall(db: Executor, id: string): Promise<HallRow | undefined> {
  return db.selectFrom('halls').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The halls of some communities. */
export async function listHalls(db: Executor, communityIds: readonly string[]): Promise<HallRow[]> {
  if (communityIds.length === 0) return [];
  return db
    .selectFrom('halls')
    .selectAll()
    .where('community_id', 'in', communityIds)
    .$call(naturalOrder)
    .execute();
}

/** Insert locker sites. */
export async function insertLockerSites(
  db: Executor,
  rows: LockerSiteRow | LockerSiteRow[],
): Promise<void> {
  await db.insertInto('locker_sites').values(rows).execute();
}

/** A page of the locker sites of a community. */
export async function listLockerSites(
  db: Executor,
  communityId: string,
  page: Page,
): Promise<LockerSiteRow[]> {
  return db
    .selectFrom('locker_sites')
    .selectAll()
    .where('community_id', '=', communityId)
    .$call(naturalOrder)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** One locker site. */
export async function findLockerSite(db: Executor, id: string): Promise<LockerSiteRow | undefined> {
  return db.selectFrom('locker_sites').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locker sites at the given units, plus building-wide sites (no unit) of the given buildings. */
export async function lockerSitesNear(
  db: Executor,
  unitIds: readonly string[],
  buildingIds: readonly string[],
): Promise<LockerSiteRow[]> {
  if (unitIds.length === 0 && buildingIds.length === 0) return [];
  return db
    .selectFrom('locker_sites')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(unitIds.length ? [eb('unit_id', 'in', unitIds)] : []),
        ...(buildingIds.length
          ? [eb.and([eb('building_id', 'in', buildingIds), eb('unit_id', 'is', null)])]
          : []),
      ]),
    )
    .$call(naturalOrder)
    .execute();
}

/** Insert police contacts. */
export async function insertPoliceContacts(
  db: Executor,
  rows: PoliceContactRow | PoliceContactRow[],
): Promise<void> {
  await db.insertInto('police_contacts').values(rows).execute();
}

/** The police contacts of some communities. */
export async function listPoliceContacts(
  db: Executor,
  communityIds: readonly string[],
): Promise<PoliceContactRow[]> {
  if (communityIds.length === 0) return [];
  return db
    .selectFrom('police_contacts')
    .selectAll()
    .where('community_id', 'in', communityIds)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/**
 * Insert carriers. Carriers are only ever added, never changed or removed (no other write
 * of the table exists; carrier-cache.test.ts checks), so every node keeps a carrier it has
 * read for good (`carrierById`). A write that changes one must invalidate it there.
 */
export async function insertCarriers(db: Executor, rows: CarrierRow | CarrierRow[]): Promise<void> {
  await db.insertInto('carriers').values(rows).execute();
}

/** Carriers by id, kept once read (frozen: every caller shares the row). A deposit reads its courier's carrier. */
const carrierById = new RowCache<Readonly<CarrierRow>>(Infinity, 1_000);

/** One carrier by id. */
export async function findCarrier(
  db: Executor,
  id: string,
): Promise<Readonly<CarrierRow> | undefined> {
  return carrierById.get(db, id, async () => {
    const row = await db.selectFrom('carriers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && Object.freeze(row);
  });
}

/** One carrier by its code (e.g. "zto"). */
export async function findCarrierByCode(
  db: Executor,
  code: string,
): Promise<CarrierRow | undefined> {
  return db.selectFrom('carriers').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Every carrier, express first. */
export async function listCarriers(db: Executor): Promise<CarrierRow[]> {
  return db.selectFrom('carriers').selectAll().orderBy('kind').orderBy('code').execute();
}
