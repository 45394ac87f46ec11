/** The place path of a request, for the access plugin's object checks (kind 'need'). */
import type { Executor } from '../../db/database.ts';
import type { PlacePath, ScopeResolver } from '../../platform/auth/access.ts';
import { placePath } from '../places/index.ts';
import * as repo from './need.repository.ts';
import type { NeedRow } from './need.types.ts';

/** Where a request sits: its unit's path (or its community's), its current grid, and the hall that took it in. */
export async function pathOfNeed(db: Executor, n: NeedRow): Promise<PlacePath | null> {
  const base = n.unit_id
    ? await placePath(db, 'unit', n.unit_id)
    : await placePath(db, 'community', n.community_id);
  if (!base) return null;
  const p: PlacePath = { ...base };
  // A forward may move a request to another grid; the request's own grid decides who sees it.
  delete p.grid;
  if (n.grid_id) p.grid = n.grid_id;
  if (n.hall_id) p.hall = n.hall_id;
  return p;
}

/** Scope resolvers of this module. */
export function needResolvers(db: Executor): Record<string, ScopeResolver> {
  return {
    need: async (id) => {
      const n = await repo.findNeed(db, id);
      const p = n ? await pathOfNeed(db, n) : null;
      return p ? [p] : [];
    },
  };
}
