/**
 * The dialect factory: SQLite (better-sqlite3, WAL) embedded by default, PostgreSQL when
 * DATABASE_URL says so. Callers get a typed Kysely and pass it (or a transaction) on
 * explicitly; there is no global database.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { DB } from './schema.ts';
import { SQLITE_PRAGMAS } from '../kernel/sqlite.ts';

export type Database = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Database | Trx;

export interface DatabaseHandle {
  readonly db: Database;
  readonly dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema in use, when one was configured. */
  readonly schema?: string;
  /** Cheap liveness probe used by /readyz. */
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

// The pragmas live in the kernel: the device agent's store opens with the same ones.
export { SQLITE_PRAGMAS } from '../kernel/sqlite.ts';

/** Open the configured database. */
export async function openDatabase(cfg: Config['database']): Promise<DatabaseHandle> {
  if (cfg.kind === 'sqlite') return openSqlite(cfg.file);
  return openPostgres(cfg.url, cfg.schema, cfg.poolSize);
}

/** An in-memory SQLite database started from a serialized image (tests clone a migrated template this way). */
export function openSqliteImage(image: Buffer): DatabaseHandle {
  return openSqlite(image);
}

function openSqlite(file: string | Buffer): DatabaseHandle {
  if (typeof file === 'string' && file !== ':memory:')
    fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SQLite(file);
  for (const p of SQLITE_PRAGMAS) raw.pragma(p);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(raw) }) });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      raw.prepare('select 1').get();
    },
    destroy: () => db.destroy(),
  };
}

/** Prepared statements kept per connection; the app has a few hundred distinct queries. */
export const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely's SQLite driver prepares every query it runs, and preparing (parsing and
 * planning) costs more than running most of our single-row statements: keep the
 * prepared statements by SQL text, least recently used out first. Safe because the one
 * connection runs one statement at a time and nothing streams (iterate) a query.
 */
export function cachingStatements(
  raw: SQLite.Database,
  size = STATEMENT_CACHE_SIZE,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      let st = cache.get(sql);
      if (st) {
        cache.delete(sql);
      } else {
        st = raw.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, st);
      return st;
    },
    close() {
      cache.clear();
      raw.close();
    },
  };
}

const PG_INT8 = 20;
const PG_TIMESTAMPTZ = 1184;

async function openPostgres(
  url: string,
  schema: string | undefined,
  poolSize: number,
): Promise<DatabaseHandle> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      // Counts and sums come back as numbers (all our integers fit in 2^53), instants as ISO text like SQLite's.
      if (oid === PG_INT8) return (v: string) => Number(v);
      if (oid === PG_TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: types as pg.CustomTypesConfig,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await pool.query(`create schema if not exists ${schema}`);
  return {
    db,
    dialect: 'postgres',
    ...(schema ? { schema } : {}),
    ping: async () => {
      await pool.query('select 1');
    },
    destroy: () => db.destroy(),
  };
}
