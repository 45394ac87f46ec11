/** Scope resolvers for the access plugin: a notice or an activity resolves to the place it addresses (and its hall). */
import type { Executor } from '../../db/database.ts';
import type { ScopeResolver } from '../../platform/auth/access.ts';
import { audienceResolvers } from './audience.ts';
import { findAudience } from './notice.repository.ts';

/** Resolvers for the object kinds 'notice' and 'activity'. */
export function noticeResolvers(db: Executor): Record<string, ScopeResolver> {
  return audienceResolvers(findAudience, db);
}
