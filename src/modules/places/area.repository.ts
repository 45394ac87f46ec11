/**
 * SQL behind staff areas: which grids and halls a community has, which locker sites lie
 * in a grid or compound, which halls serve a site, and the names of sites for labels.
 */
import type { Executor } from '../../db/database.ts';

/** Ids of the grids and halls of a community (the sub-areas a grant inside it may hold). */
export async function subAreasOf(
  db: Executor,
  communityId: string,
): Promise<{ grids: string[]; halls: string[] }> {
  const [grids, halls] = await Promise.all([
    db.selectFrom('grids').select('id').where('community_id', '=', communityId).execute(),
    db.selectFrom('halls').select('id').where('community_id', '=', communityId).execute(),
  ]);
  return { grids: grids.map((g) => g.id), halls: halls.map((h) => h.id) };
}

/** The compound each hall serves (null = the hall serves its whole community). */
export async function hallCompounds(
  db: Executor,
  hallIds: readonly string[],
): Promise<{ id: string; community_id: string; compound_id: string | null }[]> {
  if (hallIds.length === 0) return [];
  return db
    .selectFrom('halls')
    .select(['id', 'community_id', 'compound_id'])
    .where('id', 'in', hallIds)
    .execute();
}

/** Halls serving a site: those of its compound, and those of its community that name no compound. */
export async function hallsServing(
  db: Executor,
  communityId: string,
  compoundId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('halls')
    .select('id')
    .where('community_id', '=', communityId)
    .where((eb) => eb.or([eb('compound_id', '=', compoundId), eb('compound_id', 'is', null)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Site ids of a community inside the given grids or compounds, optionally narrowed to one compound or building. */
export async function siteIdsWhere(
  db: Executor,
  communityId: string,
  f: {
    gridIds?: readonly string[];
    compoundIds?: readonly string[];
    compoundId?: string;
    buildingId?: string;
  },
): Promise<string[]> {
  let q = db
    .selectFrom('locker_sites as s')
    .innerJoin('buildings as b', 'b.id', 's.building_id')
    .select('s.id')
    .where('s.community_id', '=', communityId);
  if (f.gridIds || f.compoundIds) {
    const grids = f.gridIds ?? [];
    const compounds = f.compoundIds ?? [];
    q = q.where((eb) =>
      eb.or([
        ...(grids.length ? [eb('b.grid_id', 'in', grids)] : []),
        ...(compounds.length ? [eb('s.compound_id', 'in', compounds)] : []),
        eb.lit(false),
      ]),
    );
  }
  if (f.compoundId) q = q.where('s.compound_id', '=', f.compoundId);
  if (f.buildingId) q = q.where('s.building_id', '=', f.buildingId);
  return (await q.execute()).map((r) => r.id);
}

export interface SiteNames {
  site_id: string;
  site: string;
  compound_id: string;
  compound: string;
  building_id: string;
  building: string;
  unit: string | null;
}

/** The names of the places enclosing each site. */
export async function siteNames(db: Executor, siteIds: readonly string[]): Promise<SiteNames[]> {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom('locker_sites as s')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .innerJoin('buildings as b', 'b.id', 's.building_id')
    .leftJoin('units as u', 'u.id', 's.unit_id')
    .select([
      's.id as site_id',
      's.name as site',
      'c.id as compound_id',
      'c.name as compound',
      'b.id as building_id',
      'b.name as building',
      'u.name as unit',
    ])
    .where('s.id', 'in', [...new Set(siteIds)])
    .execute();
}

/** Names of places of one kind by id (subdistricts, communities, grids or halls), with each one's community. */
export async function namesOf(
  db: Executor,
  table: 'subdistricts' | 'communities' | 'grids' | 'halls',
  ids: readonly string[],
): Promise<{ id: string; name: string; community_id: string | null }[]> {
  if (ids.length === 0) return [];
  if (table === 'subdistricts')
    return (
      await db.selectFrom('subdistricts').select(['id', 'name']).where('id', 'in', ids).execute()
    ).map((r) => ({ ...r, community_id: null }));
  if (table === 'communities')
    return db
      .selectFrom('communities')
      .select(['id', 'name', 'id as community_id'])
      .where('id', 'in', ids)
      .execute();
  return db
    .selectFrom(table)
    .select(['id', 'name', 'community_id'])
    .where('id', 'in', ids)
    .execute();
}

/** Communities with their subdistrict's name, all of them (null) or the listed ones, in name order. */
export async function communitiesNamed(
  db: Executor,
  ids: readonly string[] | null,
): Promise<{ id: string; name: string; subdistrict: string }[]> {
  if (ids && ids.length === 0) return [];
  let q = db
    .selectFrom('communities as c')
    .innerJoin('subdistricts as s', 's.id', 'c.subdistrict_id')
    .select(['c.id', 'c.name', 's.name as subdistrict']);
  if (ids) q = q.where('c.id', 'in', ids);
  return q.orderBy('s.name').orderBy('c.name').execute();
}

/** Compounds and buildings holding the given locker sites (null = every site of the community), for list filters. */
export async function compoundsAndBuildings(
  db: Executor,
  communityId: string,
  siteIds: readonly string[] | null,
): Promise<{ compound_id: string; compound: string; building_id: string; building: string }[]> {
  if (siteIds && siteIds.length === 0) return [];
  let q = db
    .selectFrom('locker_sites as s')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .innerJoin('buildings as b', 'b.id', 's.building_id')
    .select([
      'c.id as compound_id',
      'c.name as compound',
      'b.id as building_id',
      'b.name as building',
    ])
    .distinct()
    .where('s.community_id', '=', communityId);
  if (siteIds) q = q.where('s.id', 'in', siteIds);
  return q.execute();
}
