/**
 * What a staff member's console starts from: each grant named (role and place), the
 * communities to pick from, and the compounds and buildings of their area for filters.
 */
import type { Executor } from '../../db/database.ts';
import type { Grant } from '../../platform/auth/access.ts';
import type { ScopeKind } from '../../platform/auth/roles.ts';
import { communitiesNamed, compoundsAndBuildings, namesOf } from './area.repository.ts';
import type { Area } from './area.scope.ts';
import { communitiesCovered } from './place-path.repository.ts';

const TABLE: Partial<Record<ScopeKind, 'subdistricts' | 'communities' | 'grids' | 'halls'>> = {
  subdistrict: 'subdistricts',
  community: 'communities',
  grid: 'grids',
  hall: 'halls',
};

/** The caller's grants with place names, and the communities they may pick (named). */
export async function workplacesOf(db: Executor, grants: readonly Grant[]) {
  const named = new Map<string, string>();
  for (const [kind, table] of Object.entries(TABLE) as [
    ScopeKind,
    NonNullable<(typeof TABLE)[ScopeKind]>,
  ][]) {
    for (const r of await namesOf(
      db,
      table,
      grants.filter((g) => g.scopeKind === kind).map((g) => g.scopeId),
    ))
      named.set(`${kind}:${r.id}`, r.name);
  }
  const communities = await communitiesNamed(db, await communitiesCovered(db, grants));
  const communityName = new Map(communities.map((c) => [c.id, c.name]));
  return {
    grants: grants.map((g) => ({
      role: g.role,
      scopeKind: g.scopeKind,
      scopeId: g.scopeId,
      // Platform grants have no place to name; the console shows "the whole platform".
      placeName: named.get(`${g.scopeKind}:${g.scopeId}`) ?? null,
      communityId: g.communityId,
      communityName: g.communityId ? (communityName.get(g.communityId) ?? null) : null,
    })),
    communities,
  };
}

/** Compounds with their buildings inside an area of a community (for the list filters). */
export async function areaPlaces(db: Executor, communityId: string, area: Area) {
  const rows = await compoundsAndBuildings(db, communityId, area.whole ? null : area.siteIds);
  const compounds = new Map<
    string,
    { id: string; name: string; buildings: { id: string; name: string }[] }
  >();
  for (const r of rows) {
    const c = compounds.get(r.compound_id) ?? {
      id: r.compound_id,
      name: r.compound,
      buildings: [],
    };
    c.buildings.push({ id: r.building_id, name: r.building });
    compounds.set(r.compound_id, c);
  }
  // Natural order: "2栋" before "10栋".
  const natural = (a: { name: string }, b: { name: string }) =>
    a.name.length - b.name.length || a.name.localeCompare(b.name, 'zh-CN');
  return {
    compounds: [...compounds.values()]
      .sort(natural)
      .map((c) => ({ ...c, buildings: c.buildings.sort(natural) })),
  };
}
