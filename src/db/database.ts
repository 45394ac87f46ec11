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
import { groupCommits } from './transact.ts';
import { type Checkpointer, startCheckpointer } from './checkpointer.ts';
import { setBounded } from '../kernel/bounded.ts';

export type Database = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Database | Trx;

export interface DatabaseHandle {
  readonly db: Database;
  readonly dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema in use, when one was configured. */
  readonly schema?: string;
  /**
   * What SQLite executed since the database was opened (the cycle's statement budget test and
   * the benchmarks read it); absent on PostgreSQL, whose pool runs statements concurrently.
   */
  readonly counts?: SqlCounts;
  /**
   * The thread that copies the WAL into the database file (ADR 0039): SQLite files only, not
   * in-memory databases. When it could not start it does nothing and the connection checkpoints
   * itself, as SQLite does by default.
   */
  readonly checkpointer?: Checkpointer;
  /** Cheap liveness probe used by /readyz. */
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

// The pragmas live in the kernel: the device agent's store opens with the same ones.
export { SQLITE_PRAGMAS } from '../kernel/sqlite.ts';

/** Open the configured database. */
export async function openDatabase(cfg: Config['database']): Promise<DatabaseHandle> {
  if (cfg.kind === 'postgres') return openPostgres(cfg.url, cfg.schema, cfg.poolSize);
  const { handle, raw } = openSqlite(cfg.file);
  if (cfg.file === ':memory:') return handle;
  const checkpointer = await startCheckpointer(raw, cfg.file, {
    onFailure: (e) => {
      // No logger reaches this layer; the node keeps working on SQLite's own checkpoints.
      process.emitWarning(`SQLite checkpoint worker stopped: ${e.message}`, 'AntnestWarning');
    },
  });
  return {
    ...handle,
    checkpointer,
    destroy: async () => {
      // The worker's connection closes first, so the main one is the last and removes the WAL.
      await checkpointer.stop();
      await handle.destroy();
    },
  };
}

/** An in-memory SQLite database started from a serialized image (tests clone a migrated template this way). */
export function openSqliteImage(image: Buffer): DatabaseHandle {
  return openSqlite(image).handle;
}

function openSqlite(file: string | Buffer): { handle: DatabaseHandle; raw: SQLite.Database } {
  if (typeof file === 'string' && file !== ':memory:')
    fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SQLite(file);
  for (const p of SQLITE_PRAGMAS) raw.pragma(p);
  const counts: SqlCounts = { statements: 0, commits: 0, readOnlyCommits: 0 };
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: cachingStatements(raw, STATEMENT_CACHE_SIZE, counts) }),
  });
  groupCommits(db, true, {
    // Run on the raw connection, inside the group's transaction and before its first write,
    // where the statement cache and counts are not involved (pragmas take effect as parsed).
    memoryJournal: (on) => {
      try {
        raw.exec(on ? 'pragma temp_store = memory' : 'pragma temp_store = default');
      } catch {
        // Refused only while temporary tables exist in a transaction (the app makes none):
        // the savepoints then spill to temporary files, as SQLite does by default.
      }
    },
  });
  const handle: DatabaseHandle = {
    db,
    dialect: 'sqlite',
    counts,
    ping: async () => {
      raw.prepare('select 1').get();
    },
    destroy: () => db.destroy(),
  };
  return { handle, raw };
}

/**
 * Statements and commits as SQLite sees them. `statements` excludes transaction control
 * (begin, commit, rollback, savepoints); `commits` counts every COMMIT and every write run
 * outside a transaction (its own implicit commit); `readOnlyCommits` those COMMITs of
 * transactions that wrote nothing (pure overhead: a read needs no transaction).
 */
export interface SqlCounts {
  statements: number;
  commits: number;
  readOnlyCommits: number;
  /** When set, every counted statement's SQL is appended (the cycle budget test prints them on request). */
  trace?: string[];
}

const CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;
const COMMIT = /^\s*commit\b/i;
const STAYS_IN_TRANSACTION = /savepoint|release|rollback to/i;
const RETURNING = /\breturning\b/i;

/** A cached statement and what its SQL means to the counts. */
interface Cached {
  st: SQLite.Statement;
  sql: string;
  /** Transaction control; a write (or a select that writes, `… returning`); a read. */
  kind: 'control' | 'write' | 'read';
  /** A COMMIT. */
  commits: boolean;
  /** Control that ends or begins a transaction (not a savepoint's). */
  endsTransaction: boolean;
}

function classify(sql: string, st: SQLite.Statement): Cached {
  const control = CONTROL.test(sql);
  return {
    st,
    sql,
    kind: control ? 'control' : !st.reader || RETURNING.test(sql) ? 'write' : 'read',
    commits: control && COMMIT.test(sql),
    endsTransaction: control && !STAYS_IN_TRANSACTION.test(sql),
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
  counts?: SqlCounts,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  // Each statement with what counting needs to know of its SQL, worked out once when prepared.
  const cache = new Map<string, Cached>();
  // Kysely prepares each statement right before running it, one at a time: counting here counts executions.
  let wrote = false;
  const count = (c: Cached) => {
    if (!counts) return;
    if (c.kind === 'control') {
      if (c.commits) {
        counts.commits++;
        if (!wrote) counts.readOnlyCommits++;
      }
      if (c.endsTransaction) wrote = false; // a savepoint stays in its transaction
      return;
    }
    counts.statements++;
    counts.trace?.push(c.sql);
    if (c.kind === 'write') {
      if (raw.inTransaction) wrote = true;
      else counts.commits++;
    }
  };
  return {
    prepare(sql) {
      let c = cache.get(sql);
      if (c) {
        cache.delete(sql);
      } else {
        c = classify(sql, raw.prepare(sql));
      }
      // Deleted on a hit and set again: the least recently used statement goes first.
      setBounded(cache, sql, c, size);
      count(c);
      return c.st;
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
