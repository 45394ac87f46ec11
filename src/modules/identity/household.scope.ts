/** Scope resolver for binding requests: a request sits where its unit does (the access plugin checks it). */
import type { Executor } from '../../db/database.ts';
import type { ScopeResolver } from '../../platform/auth/access.ts';
import { placePath } from '../places/index.ts';
import * as repo from './household.repository.ts';

/** Resolvers this part of identity adds to the access plugin. */
export function householdResolvers(db: Executor): Record<string, ScopeResolver> {
  return { household_request: (id) => requestPlacePaths(db, id) };
}

/** Scope resolver: a request sits where its unit does. */
export async function requestPlacePaths(db: Executor, requestId: string) {
  const r = await repo.findRequest(db, requestId);
  if (!r) return [];
  const p = await placePath(db, 'unit', r.unit_id);
  return p ? [p] : [];
}
