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

/** How a courier's list is ordered (directory-order.ts): ranks of their recent sites and compounds. */
export interface DirectoryOrder {
  /** Rank (0 = most recent) of each site the courier deposited at lately. */
  siteRank: ReadonlyMap<string, number>;
  /** Rank (0 = most recent) of each compound the courier deposited in lately. */
  compoundRank: ReadonlyMap<string, number>;
  /** Communities the courier's grants name (their delivery area), if any: next after their recent sites. */
  communityIds: readonly string[];
}

/**
 * `case <column> when <key> then <rank> … else <after all> end`: a rank map as an ORDER BY
 * term. Ranks are integer literals (PostgreSQL would read untyped parameters as text, and
 * '10' sorts before '2').
 */
function rankTerm(column: string, ranks: ReadonlyMap<string, number>) {
  const whens = [...ranks].map(([key, rank]) => sql`when ${key} then ${sql.lit(Math.trunc(rank))}`);
  return sql`case ${sql.ref(column)} ${sql.join(whens, sql` `)} else ${sql.lit(ranks.size)} end`;
}

/**
 * Active lockers, optionally of some communities and matching a search, in one query on
 * lockers' own tables (the place names are the directory's copy, ADR 0038). Without an
 * order: by compound, then building and unit in natural order (2栋 before 10栋). With one:
 * the sites this courier deposited at most recently first, then other sites in the compounds
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
    .innerJoin('locker_site_places as p', 'p.site_id', 'l.site_id')
    .select([
      'l.id',
      'l.name',
      'l.site_id',
      'l.community_id',
      'p.community_name as community',
      'p.compound_name as compound',
      'p.site_name as site',
      'l.presence',
    ])
    .where('l.status', '=', 'active');
  if (opts.communityIds)
    q = q.where('l.community_id', 'in', opts.communityIds.length ? [...opts.communityIds] : ['']);
  const f = opts.search;
  if (f?.building) q = q.where('p.building_name', 'in', buildingNames(f.building));
  if (f?.unit) q = q.where('p.unit_name', '=', `${f.unit}单元`);
  // Every word somewhere in the address run together, the locker's name or its id (so "清淳家园1栋" and "清淳家园 1栋" find the same).
  const haystack = sql<string>`lower(p.community_name || p.compound_name || p.site_name || l.name || l.id)`;
  for (const w of f?.words ?? []) q = q.where(haystack, 'like', `%${w}%`);
  if (opts.order) {
    const o = opts.order;
    if (o.siteRank.size) q = q.orderBy(rankTerm('l.site_id', o.siteRank));
    if (o.compoundRank.size) q = q.orderBy(rankTerm('p.compound_id', o.compoundRank));
    if (o.communityIds.length)
      q = q.orderBy(
        sql`case when l.community_id in (${sql.join([...o.communityIds])}) then 0 else 1 end`,
      );
  }
  return q
    .orderBy('p.compound_name')
    .orderBy(sql`length(p.building_name)`)
    .orderBy('p.building_name')
    .orderBy(sql`length(coalesce(p.unit_name, ''))`)
    .orderBy('p.unit_name')
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

/** Ids of the lockers (any status) at these sites. */
export async function lockerIdsAtSites(
  db: Executor,
  siteIds: readonly string[],
): Promise<string[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .selectFrom('lockers')
    .select('id')
    .where('site_id', 'in', [...new Set(siteIds)])
    .execute();
  return rows.map((r) => r.id);
}
