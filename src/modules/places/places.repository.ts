/**
 * The only SQL on the places tables (besides place paths in place-path.repository.ts).
 * Inserts take one row or many (the demo seed inserts in bulk); lists are ordered
 * naturally ("2栋" before "10栋") and filtered by community_id, the shard key.
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  BuildingTable,
  CarrierTable,
  CommunityTable,
  CompoundTable,
  GridTable,
  HallTable,
  LockerSiteTable,
  PoliceContactTable,
  SubdistrictTable,
  UnitTable,
} from './places.table.ts';

export type SubdistrictRow = SubdistrictTable;
export type CommunityRow = CommunityTable;
export type CompoundRow = CompoundTable;
export type GridRow = GridTable;
export type BuildingRow = BuildingTable;
export type UnitRow = UnitTable;
export type HallRow = HallTable;
export type LockerSiteRow = LockerSiteTable;
export type PoliceContactRow = PoliceContactTable;
export type CarrierRow = CarrierTable;

export interface Page {
  limit: number;
  offset: number;
}

/** Natural order for names like "1栋", "2栋", "10栋": shorter first, then by text, then id (use with $call). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table whose rows have name and id
function naturalOrder<Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q {
  return q
    .orderBy(sql`length(name)`)
    .orderBy(sql.ref('name'))
    .orderBy(sql.ref('id')) as Q;
}

/** Each named place is unique by name within its parent; this names the parent column. */
const PARENT = {
  communities: 'subdistrict_id',
  compounds: 'community_id',
  grids: 'community_id',
  buildings: 'compound_id',
  units: 'building_id',
  halls: 'community_id',
  locker_sites: 'building_id',
  police_contacts: 'community_id',
} as const;
export type NamedPlaceTable = keyof typeof PARENT;

/** Whether a place of this table already has the name under the same parent. */
export async function nameTaken(
  db: Executor,
  table: NamedPlaceTable,
  parentId: string,
  name: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select(sql<string>`id`.as('id'))
    .where(sql.ref(PARENT[table]), '=', parentId)
    .where(sql.ref('name'), '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

// ── subdistricts and communities ─────────────────────────────────────────────

/** Insert subdistricts. */
export async function insertSubdistricts(
  db: Executor,
  rows: SubdistrictRow | SubdistrictRow[],
): Promise<void> {
  await db.insertInto('subdistricts').values(rows).execute();
}

/** One subdistrict by id. */
export async function findSubdistrict(
  db: Executor,
  id: string,
): Promise<SubdistrictRow | undefined> {
  return db.selectFrom('subdistricts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a subdistrict of that name exists in the city and district (subdistricts have no parent row). */
export async function subdistrictNameTaken(
  db: Executor,
  city: string,
  district: string,
  name: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('subdistricts')
    .select('id')
    .where('city', '=', city)
    .where('district', '=', district)
    .where('name', '=', name)
    .executeTakeFirst();
  return r !== undefined;
}

/** Whether any subdistrict exists (the demo seed runs on an empty database only). */
export async function anySubdistrict(db: Executor): Promise<boolean> {
  return (
    (await db.selectFrom('subdistricts').select('id').limit(1).executeTakeFirst()) !== undefined
  );
}

/** Subdistricts by id; null = all of them. */
export async function listSubdistricts(
  db: Executor,
  ids: readonly string[] | null,
): Promise<SubdistrictRow[]> {
  if (ids !== null && ids.length === 0) return [];
  let q = db.selectFrom('subdistricts').selectAll();
  if (ids !== null) q = q.where('id', 'in', ids);
  return q.orderBy('name').orderBy('id').execute();
}

/** Insert communities. */
export async function insertCommunities(
  db: Executor,
  rows: CommunityRow | CommunityRow[],
): Promise<void> {
  await db.insertInto('communities').values(rows).execute();
}

/** One community by id. */
export async function findCommunity(db: Executor, id: string): Promise<CommunityRow | undefined> {
  return db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The communities of a subdistrict. */
export async function listCommunities(
  db: Executor,
  subdistrictId: string,
): Promise<CommunityRow[]> {
  return db
    .selectFrom('communities')
    .selectAll()
    .where('subdistrict_id', '=', subdistrictId)
    .$call(naturalOrder)
    .execute();
}

export interface CommunityCounts {
  compounds: number;
  grids: number;
  buildings: number;
  units: number;
  halls: number;
  lockerSites: number;
  policeContacts: number;
}

/** How many places of each kind a community has, in one round trip. */
export async function communityCounts(db: Executor, communityId: string): Promise<CommunityCounts> {
  const r = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('compounds')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('compounds'),
      eb
        .selectFrom('grids')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('grids'),
      eb
        .selectFrom('buildings')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('buildings'),
      eb
        .selectFrom('units')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('units'),
      eb
        .selectFrom('halls')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('halls'),
      eb
        .selectFrom('locker_sites')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('lockerSites'),
      eb
        .selectFrom('police_contacts')
        .select((e) => e.fn.countAll().as('n'))
        .where('community_id', '=', communityId)
        .as('policeContacts'),
    ])
    .executeTakeFirstOrThrow();
  return {
    compounds: Number(r.compounds),
    grids: Number(r.grids),
    buildings: Number(r.buildings),
    units: Number(r.units),
    halls: Number(r.halls),
    lockerSites: Number(r.lockerSites),
    policeContacts: Number(r.policeContacts),
  };
}

// ── compounds, grids, buildings, units ───────────────────────────────────────

/** Insert compounds. */
export async function insertCompounds(
  db: Executor,
  rows: CompoundRow | CompoundRow[],
): Promise<void> {
  await db.insertInto('compounds').values(rows).execute();
}

/** One compound by id. */
export async function findCompound(db: Executor, id: string): Promise<CompoundRow | undefined> {
  return db.selectFrom('compounds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The compounds of a community. */
export async function listCompounds(db: Executor, communityId: string): Promise<CompoundRow[]> {
  return db
    .selectFrom('compounds')
    .selectAll()
    .where('community_id', '=', communityId)
    .$call(naturalOrder)
    .execute();
}

/** Insert grids. */
export async function insertGrids(db: Executor, rows: GridRow | GridRow[]): Promise<void> {
  await db.insertInto('grids').values(rows).execute();
}

/** One grid by id. */
export async function findGrid(db: Executor, id: string): Promise<GridRow | undefined> {
  return db.selectFrom('grids').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The grids of a community. */
export async function listGrids(db: Executor, communityId: string): Promise<GridRow[]> {
  return db
    .selectFrom('grids')
    .selectAll()
    .where('community_id', '=', communityId)
    .$call(naturalOrder)
    .execute();
}

/** Insert buildings. */
export async function insertBuildings(
  db: Executor,
  rows: BuildingRow | BuildingRow[],
): Promise<void> {
  await db.insertInto('buildings').values(rows).execute();
}

/** One building by id. */
export async function findBuilding(db: Executor, id: string): Promise<BuildingRow | undefined> {
  return db.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of the buildings of a compound. */
export async function listBuildings(
  db: Executor,
  communityId: string,
  compoundId: string,
  page: Page,
): Promise<BuildingRow[]> {
  const q = db
    .selectFrom('buildings')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('compound_id', '=', compoundId);
  return q.$call(naturalOrder).limit(page.limit).offset(page.offset).execute();
}

/** Change a building's name, floors or grid. */
export async function updateBuilding(
  db: Executor,
  id: string,
  patch: Partial<Pick<BuildingRow, 'name' | 'floors' | 'grid_id'>>,
): Promise<void> {
  await db.updateTable('buildings').set(patch).where('id', '=', id).execute();
}

/** Insert units. */
export async function insertUnits(db: Executor, rows: UnitRow | UnitRow[]): Promise<void> {
  await db.insertInto('units').values(rows).execute();
}

/** One unit by id. */
export async function findUnit(db: Executor, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of the units of a building. */
export async function listUnits(
  db: Executor,
  communityId: string,
  buildingId: string,
  page: Page,
): Promise<UnitRow[]> {
  const q = db
    .selectFrom('units')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('building_id', '=', buildingId);
  return q.$call(naturalOrder).limit(page.limit).offset(page.offset).execute();
}

/** Units with the names of the places around them, and their building's grid (left joined). */
function unitsInContext(db: Executor) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('compounds as cp', 'cp.id', 'u.compound_id')
    .innerJoin('communities as cm', 'cm.id', 'u.community_id')
    .leftJoin('grids as g', 'g.id', 'b.grid_id')
    .selectAll('u')
    .select([
      'b.name as building_name',
      'cp.name as compound_name',
      'cp.address as compound_address',
      'cm.name as community_name',
      'b.grid_id',
      'g.name as grid_name',
      'g.service_phone as grid_service_phone',
    ]);
}

export type UnitInContext = UnitRow & {
  building_name: string;
  compound_name: string;
  compound_address: string;
  community_name: string;
  grid_id: string | null;
  grid_name: string | null;
  grid_service_phone: string | null;
};

/** Units by id, each with its building, compound, community and grid. */
export async function findUnitsInContext(
  db: Executor,
  unitIds: readonly string[],
): Promise<UnitInContext[]> {
  if (unitIds.length === 0) return [];
  return unitsInContext(db).where('u.id', 'in', unitIds).orderBy('u.id').execute();
}

// ── halls, locker sites, police contacts, carriers ───────────────────────────

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

/** Insert carriers. */
export async function insertCarriers(db: Executor, rows: CarrierRow | CarrierRow[]): Promise<void> {
  await db.insertInto('carriers').values(rows).execute();
}

/** One carrier by its code (e.g. "zto"). */
/** One carrier by id. */
export async function findCarrier(db: Executor, id: string): Promise<CarrierRow | undefined> {
  return db.selectFrom('carriers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every community, by name (demo seeding and platform-wide jobs). */
export async function listAllCommunities(db: Executor): Promise<CommunityRow[]> {
  return db.selectFrom('communities').selectAll().orderBy('name').execute();
}

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
