/** SQL of the locker directory: where couriers and residents can deposit (no private data). */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

export interface DirectoryRow {
  id: string;
  name: string;
  community_id: string;
  community: string;
  compound: string;
  site: string;
  presence: string;
}

/** Active lockers, optionally of some communities and matching a text, by compound and site name. */
export async function listDirectory(db: Executor, opts: { communityIds?: readonly string[]; q?: string; limit: number; offset: number }): Promise<DirectoryRow[]> {
  let q = db
    .selectFrom('lockers as l')
    .innerJoin('locker_sites as s', 's.id', 'l.site_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .innerJoin('communities as m', 'm.id', 'l.community_id')
    .select(['l.id', 'l.name', 'l.community_id', 'm.name as community', 'c.name as compound', 's.name as site', 'l.presence'])
    .where('l.status', '=', 'active');
  if (opts.communityIds) q = q.where('l.community_id', 'in', opts.communityIds.length ? [...opts.communityIds] : ['']);
  if (opts.q) {
    // Wildcards are dropped rather than escaped: SQLite has no default LIKE escape character.
    const like = `%${opts.q.replace(/[\\%_]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('l.name', 'like', like), eb('s.name', 'like', like), eb('c.name', 'like', like), eb('l.id', 'like', like)]));
  }
  return q.orderBy('c.name').orderBy('s.name').orderBy('l.id').limit(opts.limit).offset(opts.offset).execute();
}

/** Free normal compartments per size for these lockers. */
export async function freeBySize(db: Executor, lockerIds: readonly string[]): Promise<{ locker_id: string; size: string; free: number }[]> {
  if (lockerIds.length === 0) return [];
  const rows = await db
    .selectFrom('compartments')
    .select(['locker_id', 'size', sql<number>`count(*)`.as('free')])
    .where('locker_id', 'in', [...lockerIds])
    .where('use', '=', 'free')
    .where('kind', '=', 'normal')
    .groupBy(['locker_id', 'size'])
    .execute();
  return rows.map((r) => ({ ...r, free: Number(r.free) }));
}
