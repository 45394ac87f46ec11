/**
 * Staff areas: the one place that says how much of a community a grant reaches.
 *
 *   - platform, subdistrict or community grant → the whole community;
 *   - grid grant (网格员)                      → the locker sites of the grid's buildings;
 *   - hall grant (服务馆店员)                  → the sites the hall serves: its compound, or
 *                                               the whole community when it names none.
 *
 * Community-wide lists (lockers, alerts, parcels) declare the object `community_area`,
 * which every grant inside the community covers, then narrow their rows with `areaOf`.
 * A single locker's path names the halls serving it (lockerResolvers), so the same rule
 * decides what hall staff may open.
 */
import type { Executor } from '../../db/database.ts';
import type { Grant, PlacePath, ScopeResolver } from '../../platform/auth/access.ts';
import {
  hallCompounds,
  hallsServing,
  siteIdsWhere,
  siteNames,
  subAreasOf,
} from './area.repository.ts';
import { placePath } from './place-path.repository.ts';

/** How much of one community a caller reaches: all of it, or the listed locker sites. */
export type Area =
  { readonly whole: true } | { readonly whole: false; readonly siteIds: readonly string[] };

const WHOLE = new Set(['platform', 'subdistrict', 'community']);

/**
 * Resolver for `community_area`: the community's path plus one path per grid and per hall in
 * it, so a grid or hall grant covers its community's lists (the rows are then narrowed).
 */
export function communityAreaResolver(db: Executor): ScopeResolver {
  return async (communityId) => {
    const p = await placePath(db, 'community', communityId);
    if (!p) return [];
    const { grids, halls } = await subAreasOf(db, communityId);
    return [
      p,
      ...grids.map((grid): PlacePath => ({ ...p, grid })),
      ...halls.map((hall): PlacePath => ({ ...p, hall })),
    ];
  };
}

/** The area of a community the allowed grants (already checked to lie inside it) reach. */
export async function areaOf(
  db: Executor,
  allowed: readonly Grant[],
  communityId: string,
): Promise<Area> {
  if (allowed.some((g) => WHOLE.has(g.scopeKind))) return { whole: true };
  const gridIds = allowed.filter((g) => g.scopeKind === 'grid').map((g) => g.scopeId);
  const halls = (
    await hallCompounds(
      db,
      allowed.filter((g) => g.scopeKind === 'hall').map((g) => g.scopeId),
    )
  ).filter((h) => h.community_id === communityId);
  if (halls.some((h) => h.compound_id === null)) return { whole: true };
  const compoundIds = halls.map((h) => h.compound_id!);
  return { whole: false, siteIds: await siteIdsWhere(db, communityId, { gridIds, compoundIds }) };
}

/**
 * The locker sites a list may show: the caller's area narrowed by the optional compound
 * and building filters; null = no restriction (the whole community, unfiltered).
 */
export async function sitesToList(
  db: Executor,
  area: Area,
  communityId: string,
  f: { compoundId?: string | undefined; buildingId?: string | undefined },
): Promise<readonly string[] | null> {
  if (!f.compoundId && !f.buildingId) return area.whole ? null : area.siteIds;
  const filtered = await siteIdsWhere(db, communityId, {
    ...(f.compoundId ? { compoundId: f.compoundId } : {}),
    ...(f.buildingId ? { buildingId: f.buildingId } : {}),
  });
  if (area.whole) return filtered;
  const mine = new Set(area.siteIds);
  return filtered.filter((id) => mine.has(id));
}

/** A site's path for each hall serving it (the path itself first), for locker scope checks. */
export async function withServingHalls(db: Executor, p: PlacePath): Promise<PlacePath[]> {
  if (!p.community || !p.compound) return [p];
  const halls = await hallsServing(db, p.community, p.compound);
  return [p, ...halls.map((hall) => ({ ...p, hall }))];
}

/** Where a locker stands, in words: compound, building, unit and the cabinet's own name. */
export interface PlaceLabel {
  compoundId: string;
  compound: string;
  buildingId: string;
  building: string;
  unit: string | null;
  site: string;
  cabinet: string;
}

/** Labels for lockers, keyed by locker id; `lockers` gives each locker's site and name. */
export async function placeLabels(
  db: Executor,
  lockers: readonly { id: string; site_id: string; name: string }[],
): Promise<Map<string, PlaceLabel>> {
  const bySite = new Map(
    (
      await siteNames(
        db,
        lockers.map((l) => l.site_id),
      )
    ).map((s) => [s.site_id, s]),
  );
  const out = new Map<string, PlaceLabel>();
  for (const l of lockers) {
    const s = bySite.get(l.site_id);
    if (!s) continue;
    out.set(l.id, {
      compoundId: s.compound_id,
      compound: s.compound,
      buildingId: s.building_id,
      building: s.building,
      unit: s.unit,
      site: s.site,
      cabinet: cabinetName(l.name, s.site),
    });
  }
  return out;
}

/** The cabinet's name without the site it repeats ("1栋1单元门口智能柜" at "1栋1单元门口" → "智能柜"). */
export function cabinetName(lockerName: string, siteName: string): string {
  const rest = lockerName.startsWith(siteName)
    ? lockerName.slice(siteName.length).trim()
    : lockerName;
  return rest || lockerName;
}
