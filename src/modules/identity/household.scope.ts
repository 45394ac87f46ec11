/** Scope resolver for binding requests: a request sits where its unit does (the access plugin checks it). */
import type { Executor } from '../../db/database.ts';
import type { ScopeResolver } from '../../platform/auth/access.ts';
import { requestPlacePaths } from './household.service.ts';

/** Resolvers this part of identity adds to the access plugin. */
export function householdResolvers(db: Executor): Record<string, ScopeResolver> {
  return { household_request: (id) => requestPlacePaths(db, id) };
}
