/** The only SQL on place coordinates: set one place's, and read a map of some communities' places. */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** The tables that carry coordinates. */
export type LocatedTable = 'compounds' | 'buildings' | 'halls' | 'locker_sites';

/** Set a place's coordinates; its community id, or undefined when there is no such place. */
export async function setLocation(
  db: Executor,
  table: LocatedTable,
  id: string,
  lat: number,
  lng: number,
): Promise<string | undefined> {
  const row = await db
    .updateTable(table)
    .set({ lat, lng })
    .where('id', '=', id)
    .returning('community_id')
    .executeTakeFirst();
  return row?.community_id;
}

/** A building with its coordinates and households (the sum over its units). */
export interface MappedBuilding {
  id: string;
  communityId: string;
  compoundId: string;
  name: string;
  compoundName: string;
  lat: number | null;
  lng: number | null;
  households: number;
}

/** A hall or locker site with its coordinates. */
export interface MappedFacility {
  id: string;
  communityId: string;
  name: string;
  lat: number | null;
  lng: number | null;
}

/** Buildings of some communities with households and coordinates, in a stable order. */
export async function mappedBuildings(
  db: Executor,
  communityIds: readonly string[],
): Promise<MappedBuilding[]> {
  if (communityIds.length === 0) return [];
  const rows = await db
    .selectFrom('buildings as b')
    .innerJoin('compounds as c', 'c.id', 'b.compound_id')
    .leftJoin('units as u', 'u.building_id', 'b.id')
    .where('b.community_id', 'in', communityIds)
    .groupBy(['b.id', 'b.community_id', 'b.compound_id', 'b.name', 'c.name', 'b.lat', 'b.lng'])
    .select([
      'b.id',
      'b.community_id',
      'b.compound_id',
      'b.name',
      'c.name as compound_name',
      'b.lat',
      'b.lng',
      sql<number>`coalesce(sum(u.households), 0)`.as('households'),
    ])
    .orderBy('b.community_id')
    .orderBy('c.name')
    .orderBy(sql`length(b.name)`)
    .orderBy('b.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    compoundId: r.compound_id,
    name: r.name,
    compoundName: r.compound_name,
    lat: r.lat ?? null,
    lng: r.lng ?? null,
    households: Number(r.households),
  }));
}

/** The halls or locker sites of some communities with their coordinates. */
export async function mappedFacilities(
  db: Executor,
  table: 'halls' | 'locker_sites',
  communityIds: readonly string[],
): Promise<MappedFacility[]> {
  if (communityIds.length === 0) return [];
  const rows = await db
    .selectFrom(table)
    .select(['id', 'community_id', 'name', 'lat', 'lng'])
    .where('community_id', 'in', communityIds)
    .orderBy('community_id')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    lat: r.lat ?? null,
    lng: r.lng ?? null,
  }));
}
