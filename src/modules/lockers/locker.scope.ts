/** Where lockers and their alerts sit, for access checks: the path of their locker site. */
import type { Executor } from '../../db/database.ts';
import type { ScopeResolver } from '../../platform/auth/access.ts';
import { placePath } from '../places/place-path.repository.ts';
import { findAlert } from './alert.repository.ts';
import { lockerSite } from './locker.repository.ts';

/** Scope resolvers for `locker` and `alert` objects. */
export function lockerResolvers(db: Executor): Record<string, ScopeResolver> {
  const lockerPaths = async (id: string) => {
    const l = await lockerSite(db, id);
    const p = l ? await placePath(db, 'locker_site', l.site_id) : null;
    return p ? [p] : [];
  };
  return {
    locker: lockerPaths,
    alert: async (id) => {
      const a = await findAlert(db, id);
      return a ? lockerPaths(a.locker_id) : [];
    },
  };
}
