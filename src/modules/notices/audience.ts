/**
 * Who a notice or activity reaches and who may write it. A notice addresses a
 * subdistrict, a community or a compound; it reaches every resident whose unit lies
 * inside. Authors: community workers for their community (or a compound in it),
 * subdistrict officers and operator admins for their whole area, hall staff for their
 * hall's community (the notice then belongs to the hall: its staff manage it).
 */
import type { Executor } from '../../db/database.ts';
import type { Grant, PlacePath, ScopeResolver } from '../../platform/auth/access.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { AppError } from '../../platform/errors.ts';
import { placePath } from '../places/index.ts';
import type { AudienceColumns, AudienceKind } from './notice.table.ts';

/** Roles that write notices and activities. */
export const AUTHOR_ROLES = [
  'community_worker',
  'subdistrict_officer',
  'operator_admin',
  'hall_staff',
] as const satisfies readonly Role[];

/** The places one resident lives in (all their units), as sets of ids. */
export interface Audience {
  subdistricts: string[];
  communities: string[];
  compounds: string[];
}

/** The place path of a notice or activity row, for the access plugin (its hall too, so hall staff reach their own). */
export function audiencePath(r: AudienceColumns): PlacePath {
  const p: PlacePath = { subdistrict: r.subdistrict_id };
  if (r.community_id) p.community = r.community_id;
  if (r.compound_id) p.compound = r.compound_id;
  if (r.hall_id) p.hall = r.hall_id;
  return p;
}

/** Resolvers for the access plugin: a notice or activity resolves to the place it addresses. */
export function audienceResolvers(
  find: (
    db: Executor,
    kind: 'notice' | 'activity',
    id: string,
  ) => Promise<AudienceColumns | undefined>,
  db: Executor,
): Record<string, ScopeResolver> {
  const of = (kind: 'notice' | 'activity') => async (id: string) => {
    const r = await find(db, kind, id);
    return r ? [audiencePath(r)] : [];
  };
  return { notice: of('notice'), activity: of('activity') };
}

/**
 * The audience columns for a new notice or activity addressed to (kind, id), or a 4xx:
 * 400 when the place does not exist, 403 when none of the author's grants reaches it.
 */
export async function authorAudience(
  db: Executor,
  grants: readonly Grant[],
  kind: AudienceKind,
  id: string,
): Promise<AudienceColumns> {
  const path = await placePath(db, kind, id);
  if (!path || !path.subdistrict)
    throw new AppError(
      'validation_failed',
      `没有这个${KIND_ZH[kind]}，请从列表中选择。There is no such ${kind}; pick one from the list.`,
    );
  const columns = {
    scope_kind: kind,
    subdistrict_id: path.subdistrict,
    community_id: path.community ?? null,
    compound_id: path.compound ?? null,
  };
  const wide = grants.find(
    (g) =>
      g.role !== 'hall_staff' && (g.scopeKind === 'platform' || path[g.scopeKind] === g.scopeId),
  );
  if (wide) return { ...columns, hall_id: null };
  // Hall staff write for the community their hall serves (or a compound in it), never wider.
  const hall = grants.find(
    (g) =>
      g.role === 'hall_staff' && path.community !== undefined && g.communityId === path.community,
  );
  if (hall) return { ...columns, hall_id: hall.scopeId };
  throw new AppError(
    'forbidden',
    `你只能向自己负责的范围发布。You may publish only to places you serve (your community, or your hall's community).`,
  );
}

const KIND_ZH: Record<AudienceKind, string> = {
  subdistrict: '街道',
  community: '社区',
  compound: '小区',
};

/** Where a resident lives, from their resident grants (one place lookup per unit). */
export async function residentAudience(db: Executor, grants: readonly Grant[]): Promise<Audience> {
  const units = [
    ...new Set(
      grants.filter((g) => g.role === 'resident' && g.scopeKind === 'unit').map((g) => g.scopeId),
    ),
  ];
  const paths = (await Promise.all(units.map((u) => placePath(db, 'unit', u)))).filter(
    (p): p is PlacePath => p !== null,
  );
  return placesAudience(paths);
}

/** The audience of a set of place paths (a resident's units, or the place a hall stands in). */
export function placesAudience(paths: readonly PlacePath[]): Audience {
  const pick = (k: 'subdistrict' | 'community' | 'compound') => [
    ...new Set(paths.map((p) => p[k]).filter((x): x is string => x !== undefined)),
  ];
  return {
    subdistricts: pick('subdistrict'),
    communities: pick('community'),
    compounds: pick('compound'),
  };
}

/** Whether a notice or activity reaches the audience. */
export function reaches(a: Audience, r: AudienceColumns): boolean {
  return (
    a.subdistricts.includes(r.subdistrict_id) &&
    (r.community_id === null || a.communities.includes(r.community_id)) &&
    (r.compound_id === null || a.compounds.includes(r.compound_id))
  );
}

/** Which rows a staff member's grants let them manage in lists (the same rule as the access plugin). */
export function manages(grants: readonly Grant[], r: AudienceColumns): boolean {
  const path = audiencePath(r);
  return grants.some((g) => g.scopeKind === 'platform' || path[g.scopeKind] === g.scopeId);
}
