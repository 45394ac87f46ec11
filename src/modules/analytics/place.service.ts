/**
 * Where a dashboard looks: a subdistrict, community, compound or locker turned into the
 * rollup rows it sums (communities at their community grain, or lockers' rows), its
 * children for drill-down and its breadcrumb. Reads only the place tree and analytics' lockers.
 */
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import {
  findCommunity,
  findCompound,
  findSubdistrict,
  listCommunities,
  listCompounds,
} from '../places/index.ts';
import { lockersIn } from './dashboard.repository.ts';
import type { ScopePath } from './dashboard.schemas.ts';
import { findAnalyticsLocker } from './rollup.repository.ts';

/** A place on the drill-down path. */
export interface PlaceRef {
  scope: ScopePath;
  id: string;
  name: string;
}

const PREFIX: Record<ScopePath, string> = {
  subdistricts: 'S:',
  communities: 'C:',
  compounds: 'X:',
  lockers: 'L:',
};

/** The rollup area of a place: every dashboard of it reads this one area (ADR 0029 amendment). */
export function areaOf(p: Pick<PlaceRef, 'scope' | 'id'>): string {
  return `${PREFIX[p.scope]}${p.id}`;
}

/** What one dashboard sums, and where it can drill to. */
export interface DashboardScope extends PlaceRef {
  communityIds: string[];
  /** Lockers' rows (compound and locker scopes); null: community grain. */
  lockerIds: string[] | null;
  trail: PlaceRef[];
  children: PlaceRef[];
}

/** Resolve a dashboard's scope; 404 when the place does not exist. */
export async function dashboardScope(
  db: Executor,
  scope: ScopePath,
  id: string,
): Promise<DashboardScope> {
  if (scope === 'subdistricts') {
    const s = await findSubdistrict(db, id);
    if (!s) throw notFound('That subdistrict');
    const cs = await listCommunities(db, id);
    return {
      scope,
      id,
      name: s.name,
      communityIds: cs.map((c) => c.id),
      lockerIds: null,
      trail: [],
      children: cs.map((c) => ({ scope: 'communities', id: c.id, name: c.name })),
    };
  }
  if (scope === 'communities') {
    const c = await findCommunity(db, id);
    if (!c) throw notFound('That community');
    const sub = await findSubdistrict(db, c.subdistrict_id);
    return {
      scope,
      id,
      name: c.name,
      communityIds: [id],
      lockerIds: null,
      trail: sub ? [{ scope: 'subdistricts', id: sub.id, name: sub.name }] : [],
      children: (await listCompounds(db, id)).map((x) => ({
        scope: 'compounds',
        id: x.id,
        name: x.name,
      })),
    };
  }
  if (scope === 'compounds') {
    const x = await findCompound(db, id);
    if (!x) throw notFound('That compound');
    const up = await dashboardScope(db, 'communities', x.community_id);
    const lockers = await lockersIn(db, [x.community_id], id);
    return {
      scope,
      id,
      name: x.name,
      communityIds: [x.community_id],
      lockerIds: lockers.map((l) => l.locker_id),
      trail: [...up.trail, { scope: 'communities', id: up.id, name: up.name }],
      children: lockers.map((l) => ({ scope: 'lockers', id: l.locker_id, name: l.name })),
    };
  }
  const l = await findAnalyticsLocker(db, id);
  if (!l) throw notFound('That locker (or any figure of it)');
  const up = await dashboardScope(db, 'compounds', l.compound_id);
  return {
    scope,
    id,
    name: l.name,
    communityIds: [l.community_id],
    lockerIds: [id],
    trail: [...up.trail, { scope: 'compounds', id: up.id, name: up.name }],
    children: [],
  };
}
