/** SQL of the locker directory: where couriers and residents can deposit (no private data). */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { buildingNames, type DirectorySearch } from './directory-search.ts';

export interface DirectoryRow {
  id: string;
  name: string;
  site_id: string;
  community_id: string;
  community: string;
  compound: string;
  site: string;
  presence: string;
}

/** Whose recent deposits order the list (a courier), and since when they count. */
export interface DirectoryOrder {
  depositorId: string;
  since: string;
  /** Communities the courier's grants name (their delivery area), if any: next after their recent sites. */
  communityIds: readonly string[];
}

/**
 * Active lockers, optionally of some communities and matching a search. Without an order:
 * by compound, then building and unit in natural order (2栋 before 10栋). With one: the
 * sites this courier deposited at most recently first, then other sites in the compounds
 * they were at (the nearest we know without coordinates), then their grants' communities.
 */
export async function listDirectory(
  db: Executor,
  opts: {
    communityIds?: readonly string[];
    search?: DirectorySearch;
    order?: DirectoryOrder;
    limit: number;
    offset: number;
  },
): Promise<DirectoryRow[]> {
  let q = db
    .selectFrom('lockers as l')
    .innerJoin('locker_sites as s', 's.id', 'l.site_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .innerJoin('communities as m', 'm.id', 'l.community_id')
    .innerJoin('buildings as b', 'b.id', 's.building_id')
    .leftJoin('units as u', 'u.id', 's.unit_id')
    .select([
      'l.id',
      'l.name',
      'l.site_id',
      'l.community_id',
      'm.name as community',
      'c.name as compound',
      's.name as site',
      'l.presence',
    ])
    .where('l.status', '=', 'active');
  if (opts.communityIds)
    q = q.where('l.community_id', 'in', opts.communityIds.length ? [...opts.communityIds] : ['']);
  const f = opts.search;
  if (f?.building) q = q.where('b.name', 'in', buildingNames(f.building));
  if (f?.unit) q = q.where('u.name', '=', `${f.unit}单元`);
  // Every word somewhere in the address run together, the locker's name or its id (so "清淳家园1栋" and "清淳家园 1栋" find the same).
  const haystack = sql<string>`lower(m.name || c.name || s.name || l.name || l.id)`;
  for (const w of f?.words ?? []) q = q.where(haystack, 'like', `%${w}%`);
  if (opts.order) {
    const o = opts.order;
    const recentSites = db
      .selectFrom('parcels as p')
      .innerJoin('lockers as l2', 'l2.id', 'p.locker_id')
      .select(['l2.site_id', (eb) => eb.fn.max('p.created_at').as('last_at')])
      .where('p.depositor_id', '=', o.depositorId)
      .where('p.created_at', '>=', o.since)
      .groupBy('l2.site_id');
    const recentCompounds = db
      .selectFrom('parcels as p')
      .innerJoin('lockers as l3', 'l3.id', 'p.locker_id')
      .innerJoin('locker_sites as s3', 's3.id', 'l3.site_id')
      .select(['s3.compound_id', (eb) => eb.fn.max('p.created_at').as('last_at')])
      .where('p.depositor_id', '=', o.depositorId)
      .where('p.created_at', '>=', o.since)
      .groupBy('s3.compound_id');
    q = q
      .leftJoin(recentSites.as('rs'), 'rs.site_id', 's.id')
      .leftJoin(recentCompounds.as('rc'), 'rc.compound_id', 's.compound_id')
      .orderBy(sql`case when rs.last_at is null then 1 else 0 end`)
      .orderBy(sql`rs.last_at`, 'desc')
      .orderBy(sql`case when rc.last_at is null then 1 else 0 end`)
      .orderBy(sql`rc.last_at`, 'desc');
    if (o.communityIds.length)
      q = q.orderBy(
        sql`case when l.community_id in (${sql.join([...o.communityIds])}) then 0 else 1 end`,
      );
  }
  return q
    .orderBy('c.name')
    .orderBy(sql`length(b.name)`)
    .orderBy('b.name')
    .orderBy(sql`length(coalesce(u.name, ''))`)
    .orderBy('u.name')
    .orderBy('l.id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

/** Free normal compartments per size for these lockers. */
export async function freeBySize(
  db: Executor,
  lockerIds: readonly string[],
): Promise<{ locker_id: string; size: string; free: number }[]> {
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

/** Active cabinets at these sites, in installation (id) order per site. */
export async function activeCabinetsAt(
  db: Executor,
  siteIds: readonly string[],
): Promise<{ id: string; site_id: string }[]> {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom('lockers')
    .select(['id', 'site_id'])
    .where('site_id', 'in', [...new Set(siteIds)])
    .where('status', '=', 'active')
    .orderBy('site_id')
    .orderBy('id')
    .execute();
}

/** Compound and site names of these lockers. */
export async function placesOfLockers(
  db: Executor,
  lockerIds: readonly string[],
): Promise<{ id: string; site_id: string; compound: string; site: string }[]> {
  if (lockerIds.length === 0) return [];
  return db
    .selectFrom('lockers as l')
    .innerJoin('locker_sites as s', 's.id', 'l.site_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .select(['l.id', 'l.site_id', 'c.name as compound', 's.name as site'])
    .where('l.id', 'in', [...new Set(lockerIds)])
    .execute();
}
