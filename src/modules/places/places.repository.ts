/**
 * The only SQL on the place tree's tables from subdistrict down to grid (buildings and units are in
 * building.repository.ts, halls, locker sites, police contacts and carriers in site.repository.ts,
 * place paths in place-path.repository.ts).
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
export function naturalOrder<Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q {
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

/** Every community, by name (demo seeding and platform-wide jobs). */
export async function listAllCommunities(db: Executor): Promise<CommunityRow[]> {
  return db.selectFrom('communities').selectAll().orderBy('name').execute();
}
