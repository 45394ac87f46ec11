/** What the access plugin needs from identity: a caller's grants, and a user's place paths. */
import type { Executor } from '../../db/database.ts';
import type { Grant, PlacePath, ScopeResolver } from '../../platform/auth/access.ts';
import { placePath } from '../places/index.ts';
import { activeGrants, findUserById, grantsOfUser } from './user.repository.ts';

/** Loads an active user's grants for each authenticated request. */
export function identityGrantsLoader(db: Executor): (userId: string) => Promise<Grant[] | null> {
  return (userId) => activeGrants(db, userId);
}

/**
 * A user "sits" wherever they hold a grant. The access plugin only pre-filters here (one
 * of the user's places covered, else 404); managing them needs scope and rank over ALL
 * their grants, which user.policy.ts decides. A user with no grant has the empty path,
 * which only platform scope covers.
 */
export function identityResolvers(db: Executor): Record<string, ScopeResolver> {
  return {
    user: async (id) => {
      const user = await findUserById(db, id);
      if (!user) return [];
      const paths: PlacePath[] = [];
      for (const g of await grantsOfUser(db, id)) {
        const p = await placePath(db, g.scope_kind, g.scope_id);
        if (p) paths.push(p);
      }
      return paths.length ? paths : [{}];
    },
  };
}

/** The communities a user lives in, from their resident grants. */
export function residentCommunities(allowed: readonly Grant[]): string[] {
  return allowed
    .filter((g) => g.role === 'resident' && g.communityId !== null)
    .map((g) => g.communityId!);
}
