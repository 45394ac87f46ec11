/**
 * Names of places by id, in batches, for other modules' lists (a hall's name on a ledger
 * line, a locker's site and compound on a parcel). Other modules read place names here
 * instead of joining places' tables (docs/architecture.md, "a module's SQL touches only its
 * own tables").
 */
import type { Executor } from '../../db/database.ts';
import { prepare } from '../../db/prepared.ts';

/** A locker site's name with its compound's. */
export interface SiteNames {
  siteId: string;
  site: string;
  compoundId: string;
  compound: string;
}

/** A locker site's place in ids and names, from its community down to itself. */
export interface SitePlace {
  siteId: string;
  communityId: string;
  compoundId: string;
  buildingId: string;
  unitId: string | null;
  community: string;
  compound: string;
  building: string;
  unit: string | null;
  site: string;
}

/** Hall names by hall id (unknown ids are absent). */
export async function hallNames(
  db: Executor,
  hallIds: readonly string[],
): Promise<Map<string, string>> {
  if (hallIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('halls')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(hallIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Community names by community id (unknown ids are absent). */
export async function communityNames(
  db: Executor,
  communityIds: readonly string[],
): Promise<Map<string, string>> {
  if (communityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('communities')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(communityIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Carrier names by carrier id (unknown ids are absent). */
export async function carrierNames(
  db: Executor,
  carrierIds: readonly string[],
): Promise<Map<string, string>> {
  if (carrierIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('carriers')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(carrierIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

const siteNamesQuery = (db: Executor) =>
  db
    .selectFrom('locker_sites as s')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .select(['s.id as siteId', 's.name as site', 'c.id as compoundId', 'c.name as compound']);
const siteNamesOf = prepare<{ id: string }, SiteNames>((db, p) =>
  siteNamesQuery(db).where('s.id', '=', p('id')),
);

/** Locker sites' names with their compound's, by site id (unknown ids are absent). */
export async function siteNames(
  db: Executor,
  siteIds: readonly string[],
): Promise<Map<string, SiteNames>> {
  const ids = [...new Set(siteIds)];
  if (ids.length === 0) return new Map();
  // One site (a parcel's SMS names its locker's): the compiled statement, every deposit.
  const rows =
    ids.length === 1
      ? await siteNamesOf.all(db, { id: ids[0]! })
      : await siteNamesQuery(db).where('s.id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.siteId, r]));
}

/** Locker sites' places (ids and names of the community, compound, building and unit around each), by site id; unknown ids are absent. */
export async function sitePlaces(
  db: Executor,
  siteIds: readonly string[],
): Promise<Map<string, SitePlace>> {
  if (siteIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('locker_sites as s')
    .innerJoin('communities as m', 'm.id', 's.community_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .innerJoin('buildings as b', 'b.id', 's.building_id')
    .leftJoin('units as u', 'u.id', 's.unit_id')
    .select([
      's.id as siteId',
      's.community_id as communityId',
      's.compound_id as compoundId',
      's.building_id as buildingId',
      's.unit_id as unitId',
      'm.name as community',
      'c.name as compound',
      'b.name as building',
      'u.name as unit',
      's.name as site',
    ])
    .where('s.id', 'in', [...new Set(siteIds)])
    .execute();
  return new Map(rows.map((r) => [r.siteId, r]));
}
