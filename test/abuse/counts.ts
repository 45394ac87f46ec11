/**
 * Row counts of every table, to prove a refused request changed nothing. Bookkeeping
 * tables that a refusal may legitimately touch (rate-limit counters, idempotency
 * records of refused requests) are left out.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import { isPostgres } from '../../src/db/dialect.ts';

const BOOKKEEPING = new Set([
  'rate_counters',
  'rate_limits',
  'idempotency_keys',
  'kysely_migration',
  'kysely_migration_lock',
]);

let tableCache: string[] | undefined;

/**
 * Names of the application's tables (cached: the schema does not change during a suite). On
 * PostgreSQL only the world's own schema: Kysely's introspection lists every schema of the
 * database, and the parallel workers' worlds each have one, so each name came once per world
 * (a dozen times in a CI run) and every count ran a dozen times over; a name only another
 * world's newer migrations have even failed the count.
 */
async function tables(db: Database): Promise<string[]> {
  if (tableCache) return tableCache;
  const all = await db.introspection.getTables();
  const own = isPostgres(db)
    ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
    : undefined;
  tableCache = [
    ...new Set(
      all
        .filter((t) => own === undefined || t.schema === own)
        .map((t) => t.name)
        .filter((n) => !BOOKKEEPING.has(n)),
    ),
  ].sort();
  // A count over no tables would prove nothing.
  if (tableCache.length < 20) throw new Error(`only ${tableCache.length} tables found to count`);
  return tableCache;
}

/**
 * { table: rows } for every application table, in one statement. On PostgreSQL without parallel
 * workers: starting them for ~90 tiny counts made each call cost ~110 ms instead of ~15 ms, and the
 * abuse suites count twice per probe.
 */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const names = await tables(db);
  const q = names.map((n) => `select '${n}' as t, count(*) as n from ${n}`).join(' union all ');
  const count = (ex: Database) => sql.raw<{ t: string; n: number | string }>(q).execute(ex);
  const rows = isPostgres(db)
    ? await db.transaction().execute(async (trx) => {
        await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
        return count(trx);
      })
    : await count(db);
  return Object.fromEntries(rows.rows.map((r) => [r.t, Number(r.n)]));
}
