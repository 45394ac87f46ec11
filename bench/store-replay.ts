/**
 * The store's own price of a parcel cycle: every statement the node ran on its SQLite
 * database during a window, captured in order with its parameters, then replayed on a copy
 * of the database as it stood when the window began, through bare better-sqlite3 prepared
 * statements in a process of its own. No Kysely, no HTTP, no MQTT, no application code: what
 * is left is SQLite's work (b-tree edits, WAL frames, checkpoints) for exactly the same
 * writes and reads. Its CPU per cycle is the floor under any code on this schema.
 *
 * The node side (`StoreCapture`) lives in bench/node-child.ts; the replay runs as
 * `tsx bench/store-replay.ts <snapshot.db> <log.bin>` and prints one JSON line.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import SQLite from 'better-sqlite3';
import { SQLITE_PRAGMAS } from '../src/kernel/sqlite.ts';

const RUN = 0;
const ALL = 1;
const GET = 2;
const ITERATE = 3;
const EXEC = 4;
const METHODS = { run: RUN, all: ALL, get: GET, iterate: ITERATE } as const;

/**
 * What a statement's SQL means to the benchmark's counts: transaction control (begin, commit,
 * savepoints), a COMMIT, or a write (a commit of its own when run outside a transaction).
 * bench/node-child.ts counts the node's statements with it, and the replay its own.
 */
export function sqlKind(sql: string): { control: boolean; commit: boolean; writes: boolean } {
  return {
    control: /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql),
    commit: /^\s*commit/i.test(sql),
    writes: /^\s*(commit|insert|update|delete|replace)/i.test(sql),
  };
}

/** One executed statement: its SQL's index, how it was called, its arguments, and whether it threw. */
type Entry = [sql: number, method: number, args: unknown[], threw: 0 | 1];

interface CaptureLog {
  sql: string[];
  entries: Entry[];
}

/** Records the statements one database connection runs, from a consistent snapshot on. */
export class StoreCapture {
  private log: CaptureLog | undefined;
  private index = new Map<string, number>();
  private db: SQLite.Database | undefined;

  /** True while capturing statements of `db`. */
  capturing(db: SQLite.Database): boolean {
    return this.log !== undefined && db === this.db;
  }

  /** Record a call about to run; returns the entry so a throw can be marked on it. */
  record(sql: string, method: keyof typeof METHODS | 'exec', args: unknown[]): Entry {
    const log = this.log!;
    let i = this.index.get(sql);
    if (i === undefined) {
      i = log.sql.push(sql) - 1;
      this.index.set(sql, i);
    }
    const e: Entry = [i, method === 'exec' ? EXEC : METHODS[method], args, 0];
    log.entries.push(e);
    return e;
  }

  /**
   * Copy `db` to `snapshotFile` and start recording its statements. Waits for the
   * connection to be outside a transaction; the copy and the start happen in one
   * synchronous step, so the log begins exactly where the snapshot ends.
   */
  async start(db: SQLite.Database, snapshotFile: string): Promise<void> {
    while (db.inTransaction) await new Promise((r) => setImmediate(r));
    const image = db.serialize();
    this.db = db;
    this.index = new Map();
    this.log = { sql: [], entries: [] };
    // Written after the log is on: nothing else runs on this thread until the write returns.
    fs.writeFileSync(snapshotFile, image);
  }

  /** Stop recording and write the log to `logFile`; returns how many statements it holds. */
  stop(logFile: string): { statements: number; distinctSql: number } {
    const log = this.log;
    this.log = undefined;
    this.db = undefined;
    if (!log) throw new Error('no store capture is running');
    fs.writeFileSync(logFile, v8.serialize(log));
    return { statements: log.entries.length, distinctSql: log.sql.length };
  }
}

/** What the replay measured. */
export interface ReplayResult {
  statements: number;
  commits: number;
  cpuMs: number;
  /** Statements whose outcome (threw or not) differed from the node's: 0, or the copy diverged. */
  divergent: number;
  firstDivergence: string | null;
  /** Where the replay's time went: the costliest statements by wall time (ms, calls, SQL's start). */
  top: { ms: number; n: number; sql: string }[];
}

/** v8 deserializes Buffers as Uint8Arrays; better-sqlite3 binds Buffers. */
function asBuffers(args: unknown[]): unknown[] {
  return args.map((a) =>
    a instanceof Uint8Array && !Buffer.isBuffer(a)
      ? Buffer.from(a.buffer, a.byteOffset, a.byteLength)
      : Array.isArray(a)
        ? asBuffers(a)
        : a,
  );
}

/** Replay the log on a copy of the snapshot, opened as the server opens its database; CPU of this process. */
export function replay(
  snapshotFile: string,
  logFile: string,
  /** Leave the replayed copy here instead of removing it (tests compare it with the node's end state). */
  keepCopyAs?: string,
): ReplayResult {
  const log = v8.deserialize(fs.readFileSync(logFile)) as CaptureLog;
  for (const e of log.entries) e[2] = asBuffers(e[2]);
  // On a copy, so the snapshot can be replayed again (a schema what-if, another run).
  const copy = keepCopyAs ?? `${snapshotFile}.replay`;
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
  fs.copyFileSync(snapshotFile, copy);
  const db = new SQLite(copy);
  for (const p of SQLITE_PRAGMAS) db.pragma(p);
  const stmts: (SQLite.Statement | undefined)[] = [];
  // Worked out once per distinct SQL, so the timed loop below does no more than run statements.
  const kinds = log.sql.map(sqlKind);
  let commits = 0;
  let divergent = 0;
  let firstDivergence: string | null = null;
  const msBySql = new Float64Array(log.sql.length);
  const nBySql = new Uint32Array(log.sql.length);
  const c0 = process.cpuUsage();
  for (const [i, method, args, threw] of log.entries) {
    const text = log.sql[i]!;
    let failed: unknown = null;
    const s0 = performance.now();
    try {
      if (method === EXEC) db.exec(text);
      else {
        const st = (stmts[i] ??= db.prepare(text));
        if (method === RUN) st.run(...args);
        else if (method === ALL) st.all(...args);
        else if (method === GET) st.get(...args);
        else for (const _row of st.iterate(...args));
      }
      // Counted as the node counts them: every COMMIT, and every write outside a transaction.
      const kind = kinds[i]!;
      if (kind.commit || (kind.writes && !db.inTransaction)) commits++;
    } catch (e) {
      failed = e;
    }
    msBySql[i]! += performance.now() - s0;
    nBySql[i]!++;
    if ((failed !== null) !== (threw === 1)) {
      divergent++;
      firstDivergence ??= `${text.slice(0, 120)}: ${failed ? String(failed) : 'succeeded here, threw in the node'}`;
    }
  }
  const c = process.cpuUsage(c0);
  db.close();
  if (!keepCopyAs)
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
  return {
    statements: log.entries.length,
    commits,
    cpuMs: (c.user + c.system) / 1000,
    divergent,
    firstDivergence,
    top: [...msBySql.keys()]
      .sort((a, b) => msBySql[b]! - msBySql[a]!)
      .slice(0, 12)
      .map((i) => ({
        ms: Math.round(msBySql[i]! * 10) / 10,
        n: nBySql[i]!,
        sql: log.sql[i]!.slice(0, 100),
      })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [snapshot, logFile] = process.argv.slice(2);
  if (!snapshot || !logFile) {
    console.error('usage: tsx bench/store-replay.ts <snapshot.db> <log.bin>');
    process.exit(2);
  }
  const missing = [snapshot, logFile].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    console.error(
      `store replay: no such file: ${missing.join(', ')} (run bench cycle with ANTNEST_BENCH_KEEP=1 to keep them)`,
    );
    process.exit(2);
  }
  console.log(JSON.stringify(replay(snapshot, logFile)));
}
