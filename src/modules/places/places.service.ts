/**
 * Managing the places hierarchy: subdistrict → community → compound, and the grids buildings
 * belong to (buildings and units are in building.service.ts). Each create derives community_id
 * from the parent row (never from the body), rejects a duplicate name under the same parent,
 * and is audited in the same transaction.
 */
import type { Executor } from '../../db/database.ts';
import type { Grant } from '../../platform/auth/access.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import * as present from './places.presenter.ts';
import * as repo from './places.repository.ts';
import type {
  CommunityDetail,
  CommunityView,
  CompoundView,
  GridView,
  SubdistrictView,
} from './places.schemas.ts';

/** Who is acting: their user id (for the audit trail) and the grants that passed the route's access check. */
export interface Actor {
  userId: string;
  grants: readonly Grant[];
}

/** Ids and timestamps for new rows, from the injected clock and randomness. */
export function stamp(deps: AppDeps): { id: string; at: string } {
  return { id: newId(deps.clock, deps.random), at: iso(deps.clock.now()) };
}

/** Append an audit event for a place change (inside the change's transaction). */
export async function auditPlace(
  deps: AppDeps,
  trx: Executor,
  actor: Actor,
  action: string,
  target: { kind: string; id: string; communityId: string | null },
  detail: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, deps.clock, deps.random, {
    actorId: actor.userId,
    action,
    targetKind: target.kind,
    targetId: target.id,
    communityId: target.communityId,
    detail,
  });
}

/** Throw a 409 when the parent already has a place of that name. */
export async function ensureNameFree(
  db: Executor,
  table: repo.NamedPlaceTable,
  parent: { id: string; name: string },
  name: string,
  what: string,
): Promise<void> {
  if (await repo.nameTaken(db, table, parent.id, name))
    throw conflict(`${parent.name} already has a ${what} named "${name}"; choose another name.`);
}

/** Check that an optional grid reference names a grid of the community; returns the id or null. */
export async function gridInCommunity(
  db: Executor,
  gridId: string | null | undefined,
  communityId: string,
): Promise<string | null> {
  if (gridId === undefined || gridId === null) return null;
  const g = await repo.findGrid(db, gridId);
  if (!g || g.community_id !== communityId) {
    throw new AppError(
      'validation_failed',
      `gridId ${gridId} is not a grid of this community; pick one from GET /api/v1/communities/${communityId}/grids.`,
    );
  }
  return g.id;
}

/** Load a community or throw a 404. */
export async function requireCommunity(db: Executor, id: string): Promise<repo.CommunityRow> {
  const c = await repo.findCommunity(db, id);
  if (!c) throw notFound('That community');
  return c;
}

/** Subdistricts the caller's grants cover (platform scope covers all). */
export async function listSubdistricts(
  deps: AppDeps,
  grants: readonly Grant[],
): Promise<SubdistrictView[]> {
  const ids = grants.some((g) => g.scopeKind === 'platform')
    ? null
    : grants.filter((g) => g.scopeKind === 'subdistrict').map((g) => g.scopeId);
  return (await repo.listSubdistricts(deps.db, ids)).map(present.presentSubdistrict);
}

/** Add a subdistrict; only a platform-wide operator admin may, since no narrower scope encloses a new one. */
export async function createSubdistrict(
  deps: AppDeps,
  actor: Actor,
  input: { name: string; city: string; district: string },
): Promise<SubdistrictView> {
  if (!actor.grants.some((g) => g.scopeKind === 'platform')) {
    throw new AppError('forbidden', 'Only a platform-wide operator admin can add a subdistrict.');
  }
  const name = input.name.trim();
  const city = input.city.trim();
  const district = input.district.trim();
  return deps.db.transaction().execute(async (trx) => {
    if (await repo.subdistrictNameTaken(trx, city, district, name))
      throw conflict(`${city}${district} already has a subdistrict named "${name}".`);
    const { id, at } = stamp(deps);
    const row: repo.SubdistrictRow = { id, name, city, district, created_at: at };
    await repo.insertSubdistricts(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'subdistrict.create',
      { kind: 'subdistrict', id, communityId: null },
      { name },
    );
    return present.presentSubdistrict(row);
  });
}

/** One subdistrict. */
export async function getSubdistrict(deps: AppDeps, id: string): Promise<SubdistrictView> {
  const s = await repo.findSubdistrict(deps.db, id);
  if (!s) throw notFound('That subdistrict');
  return present.presentSubdistrict(s);
}

/** The communities of a subdistrict. */
export async function listCommunities(
  deps: AppDeps,
  subdistrictId: string,
): Promise<CommunityView[]> {
  return (await repo.listCommunities(deps.db, subdistrictId)).map(present.presentCommunity);
}

/** Add a community to a subdistrict. */
export async function createCommunity(
  deps: AppDeps,
  actor: Actor,
  subdistrictId: string,
  input: { name: string },
): Promise<CommunityView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const parent = await repo.findSubdistrict(trx, subdistrictId);
    if (!parent) throw notFound('That subdistrict');
    await ensureNameFree(trx, 'communities', parent, name, 'community');
    const { id, at } = stamp(deps);
    const row: repo.CommunityRow = { id, subdistrict_id: parent.id, name, created_at: at };
    await repo.insertCommunities(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'community.create',
      { kind: 'community', id, communityId: id },
      { name },
    );
    return present.presentCommunity(row);
  });
}

/** A community with counts of its compounds, grids, buildings, units, halls, locker sites and police contacts. */
export async function getCommunity(deps: AppDeps, id: string): Promise<CommunityDetail> {
  const c = await requireCommunity(deps.db, id);
  return present.presentCommunityDetail(c, await repo.communityCounts(deps.db, id));
}

/** The compounds of a community. */
export async function listCompounds(deps: AppDeps, communityId: string): Promise<CompoundView[]> {
  return (await repo.listCompounds(deps.db, communityId)).map(present.presentCompound);
}

/** Add a compound (小区) to a community. */
export async function createCompound(
  deps: AppDeps,
  actor: Actor,
  communityId: string,
  input: { name: string; address: string },
): Promise<CompoundView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const community = await requireCommunity(trx, communityId);
    await ensureNameFree(trx, 'compounds', community, name, 'compound');
    const { id, at } = stamp(deps);
    const row: repo.CompoundRow = {
      id,
      community_id: community.id,
      name,
      address: input.address.trim(),
      created_at: at,
    };
    await repo.insertCompounds(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'compound.create',
      { kind: 'compound', id, communityId: community.id },
      { name },
    );
    return present.presentCompound(row);
  });
}

/** The grids of a community. */
export async function listGrids(deps: AppDeps, communityId: string): Promise<GridView[]> {
  return (await repo.listGrids(deps.db, communityId)).map(present.presentGrid);
}

/** Add a grid (网格) to a community. */
export async function createGrid(
  deps: AppDeps,
  actor: Actor,
  communityId: string,
  input: { name: string; servicePhone?: string | null },
): Promise<GridView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const community = await requireCommunity(trx, communityId);
    await ensureNameFree(trx, 'grids', community, name, 'grid');
    const { id, at } = stamp(deps);
    const row: repo.GridRow = {
      id,
      community_id: community.id,
      name,
      service_phone: input.servicePhone?.trim() ?? null,
      created_at: at,
    };
    await repo.insertGrids(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'grid.create',
      { kind: 'grid', id, communityId: community.id },
      { name },
    );
    return present.presentGrid(row);
  });
}
