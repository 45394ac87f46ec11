/** Who is asking about which hall: a resident's homes and the halls that serve them. */
import type { Executor } from '../../db/database.ts';
import type { Principal } from '../../platform/auth/access.ts';
import { notFound } from '../../platform/errors.ts';
import { findHall, type HallRow, listHalls } from '../places/index.ts';

/** One home of a resident: a unit grant and its community. */
export interface Home {
  userId: string;
  unitId: string;
  communityId: string;
}

/** The resident's homes, from their unit grants. */
export function homesOf(p: Principal): Home[] {
  return p.grants
    .filter((g) => g.role === 'resident' && g.scopeKind === 'unit' && g.communityId)
    .map((g) => ({ userId: p.userId, unitId: g.scopeId, communityId: g.communityId! }));
}

/** The halls serving the resident's communities (nearest first: their own community's). */
export async function hallsFor(db: Executor, p: Principal): Promise<HallRow[]> {
  return listHalls(db, [...new Set(homesOf(p).map((h) => h.communityId))]);
}

/**
 * A hall the resident may use (in one of their communities) and the home it serves; 404 for
 * any other hall, so a hall elsewhere is not revealed. `unitId` picks among several homes.
 */
export async function residentHall(
  db: Executor,
  p: Principal,
  hallId: string,
  unitId?: string,
): Promise<{ hall: HallRow; home: Home }> {
  const hall = await findHall(db, hallId);
  const homes = homesOf(p).filter(
    (h) => h.communityId === hall?.community_id && (!unitId || h.unitId === unitId),
  );
  if (!hall || homes.length === 0) throw notFound('That service hall');
  return { hall, home: homes[0]! };
}
