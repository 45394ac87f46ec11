/**
 * Row counts of every table, to prove a refused request changed nothing. Bookkeeping
 * tables that a refusal may legitimately touch (rate-limit counters, idempotency
 * records of refused requests) are left out.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';

const BOOKKEEPING = new Set([
  'rate_counters',
  'rate_limits',
  'idempotency_keys',
  'kysely_migration',
  'kysely_migration_lock',
]);

let tableCache: string[] | undefined;

/** Names of the application's tables (cached: the schema does not change during a suite). */
async function tables(db: Database): Promise<string[]> {
  if (tableCache) return tableCache;
  const all = await db.introspection.getTables();
  tableCache = all
    .map((t) => t.name)
    .filter((n) => !BOOKKEEPING.has(n))
    .sort();
  return tableCache;
}

/** { table: rows } for every application table. */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const names = await tables(db);
  const q = names.map((n) => `select '${n}' as t, count(*) as n from ${n}`).join(' union all ');
  const rows = await sql.raw<{ t: string; n: number | string }>(q).execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.t, Number(r.n)]));
}
