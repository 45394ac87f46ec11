/**
 * Resolves any place (or carrier) to its place path, the input of every scope check.
 * One indexed lookup per kind; the path lists the ids of every enclosing place.
 */
import type { Executor } from '../../db/database.ts';
import type { PlacePath, ScopeResolver } from '../../platform/auth/access.ts';
import type { ScopeKind } from '../../platform/auth/roles.ts';

/** The path of one place, or null when it does not exist. */
export async function placePath(
  db: Executor,
  kind: ScopeKind,
  id: string,
): Promise<PlacePath | null> {
  switch (kind) {
    case 'platform':
      return {};
    case 'subdistrict': {
      const r = await db
        .selectFrom('subdistricts')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { subdistrict: r.id } : null;
    }
    case 'community': {
      const r = await db
        .selectFrom('communities')
        .select(['id', 'subdistrict_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { subdistrict: r.subdistrict_id, community: r.id } : null;
    }
    case 'compound': {
      const r = await db
        .selectFrom('compounds as x')
        .innerJoin('communities as c', 'c.id', 'x.community_id')
        .select(['x.id', 'x.community_id', 'c.subdistrict_id'])
        .where('x.id', '=', id)
        .executeTakeFirst();
      return r
        ? { subdistrict: r.subdistrict_id, community: r.community_id, compound: r.id }
        : null;
    }
    case 'grid': {
      const r = await db
        .selectFrom('grids as x')
        .innerJoin('communities as c', 'c.id', 'x.community_id')
        .select(['x.id', 'x.community_id', 'c.subdistrict_id'])
        .where('x.id', '=', id)
        .executeTakeFirst();
      return r ? { subdistrict: r.subdistrict_id, community: r.community_id, grid: r.id } : null;
    }
    case 'building': {
      const r = await db
        .selectFrom('buildings as x')
        .innerJoin('communities as c', 'c.id', 'x.community_id')
        .select(['x.id', 'x.community_id', 'x.compound_id', 'x.grid_id', 'c.subdistrict_id'])
        .where('x.id', '=', id)
        .executeTakeFirst();
      return r
        ? withGrid(
            {
              subdistrict: r.subdistrict_id,
              community: r.community_id,
              compound: r.compound_id,
              building: r.id,
            },
            r.grid_id,
          )
        : null;
    }
    case 'unit': {
      const r = await db
        .selectFrom('units as x')
        .innerJoin('buildings as b', 'b.id', 'x.building_id')
        .innerJoin('communities as c', 'c.id', 'x.community_id')
        .select([
          'x.id',
          'x.community_id',
          'x.compound_id',
          'x.building_id',
          'b.grid_id',
          'c.subdistrict_id',
        ])
        .where('x.id', '=', id)
        .executeTakeFirst();
      return r
        ? withGrid(
            {
              subdistrict: r.subdistrict_id,
              community: r.community_id,
              compound: r.compound_id,
              building: r.building_id,
              unit: r.id,
            },
            r.grid_id,
          )
        : null;
    }
    case 'hall': {
      const r = await db
        .selectFrom('halls as x')
        .innerJoin('communities as c', 'c.id', 'x.community_id')
        .select(['x.id', 'x.community_id', 'x.compound_id', 'c.subdistrict_id'])
        .where('x.id', '=', id)
        .executeTakeFirst();
      if (!r) return null;
      const p: PlacePath = { subdistrict: r.subdistrict_id, community: r.community_id, hall: r.id };
      if (r.compound_id) p.compound = r.compound_id;
      return p;
    }
    case 'locker_site': {
      const r = await db
        .selectFrom('locker_sites as x')
        .innerJoin('buildings as b', 'b.id', 'x.building_id')
        .innerJoin('communities as c', 'c.id', 'x.community_id')
        .select([
          'x.id',
          'x.community_id',
          'x.compound_id',
          'x.building_id',
          'x.unit_id',
          'b.grid_id',
          'c.subdistrict_id',
        ])
        .where('x.id', '=', id)
        .executeTakeFirst();
      if (!r) return null;
      const p = withGrid(
        {
          subdistrict: r.subdistrict_id,
          community: r.community_id,
          compound: r.compound_id,
          building: r.building_id,
          locker_site: r.id,
        },
        r.grid_id,
      );
      if (r.unit_id) p.unit = r.unit_id;
      return p;
    }
    case 'carrier': {
      const r = await db
        .selectFrom('carriers')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { carrier: r.id } : null;
    }
  }
}

function withGrid(p: PlacePath, gridId: string | null): PlacePath {
  if (gridId) p.grid = gridId;
  return p;
}

/** Scope resolvers for every place kind, for the access plugin. */
export function placeResolvers(db: Executor): Record<string, ScopeResolver> {
  const kinds: ScopeKind[] = [
    'subdistrict',
    'community',
    'compound',
    'grid',
    'building',
    'unit',
    'hall',
    'locker_site',
    'carrier',
  ];
  return Object.fromEntries(
    kinds.map((k) => [
      k,
      async (id: string) => {
        const p = await placePath(db, k, id);
        return p ? [p] : [];
      },
    ]),
  );
}

/** Ids of the communities inside the given subdistricts. */
export async function communityIdsIn(
  db: Executor,
  subdistrictIds: readonly string[],
): Promise<string[]> {
  if (subdistrictIds.length === 0) return [];
  const rows = await db
    .selectFrom('communities')
    .select('id')
    .where('subdistrict_id', 'in', subdistrictIds)
    .execute();
  return rows.map((r) => r.id);
}

/** Which communities a set of grants reaches; null = all (platform scope). */
export async function communitiesCovered(
  db: Executor,
  grants: readonly { scopeKind: ScopeKind; scopeId: string; communityId: string | null }[],
): Promise<string[] | null> {
  if (grants.some((g) => g.scopeKind === 'platform')) return null;
  const ids = new Set(grants.map((g) => g.communityId).filter((c): c is string => c !== null));
  for (const c of await communityIdsIn(
    db,
    grants.filter((g) => g.scopeKind === 'subdistrict').map((g) => g.scopeId),
  ))
    ids.add(c);
  return [...ids];
}
