/**
 * Where lockers and their alerts sit, for access checks: the path of their locker site,
 * once more for every hall serving it (hall staff reach the lockers their hall serves),
 * and the `community_area` of community-wide lists (see places/area.scope.ts).
 */
import type { Executor } from '../../db/database.ts';
import type { ScopeResolver } from '../../platform/auth/access.ts';
import { communityAreaResolver, withServingHalls, placePath } from '../places/index.ts';
import { findAlert } from './alert.repository.ts';
import { lockerSite } from './locker.repository.ts';

/** Scope resolvers for `locker`, `alert` and `community_area` objects. */
export function lockerResolvers(db: Executor): Record<string, ScopeResolver> {
  const lockerPaths = async (id: string) => {
    const l = await lockerSite(db, id);
    const p = l ? await placePath(db, 'locker_site', l.site_id) : null;
    return p ? withServingHalls(db, p) : [];
  };
  return {
    locker: lockerPaths,
    alert: async (id) => {
      const a = await findAlert(db, id);
      return a ? lockerPaths(a.locker_id) : [];
    },
    community_area: communityAreaResolver(db),
  };
}
