/**
 * A transaction with work to do after it commits: messages that must not leave before the
 * change they announce is durable (a command published, an MQTT message acknowledged).
 * Code inside the transaction registers it with `afterCommit(trx, fn)`; the hooks run once
 * the commit succeeded, in registration order, and never when it rolled back.
 *
 * On SQLite (one writer, one connection) `transact` commits in groups (ADR 0036): work that
 * asks for a transaction while one is running joins it instead of waiting for its own BEGIN
 * and COMMIT. Each joiner runs inside a savepoint, so one that fails rolls back alone; its
 * caller gets its error at once. The others' afterCommit hooks run and their promises
 * resolve only once the shared COMMIT succeeded, so nothing is announced before it is
 * durable. A group starts once the event-loop turn that asked for it has run (what one poll
 * phase read joins from the start) and closes at GROUP_MAX_ITEMS or GROUP_MAX_MS; it never
 * waits longer for company, so a quiet node commits as before.
 */
import { sql } from 'kysely';
import type { Database, Executor, Trx } from './database.ts';

const pending = new WeakMap<Executor, (() => void)[]>();

/** A group takes at most this many pieces of work … */
export const GROUP_MAX_ITEMS = 64;
/** … and stops taking more once it has been open this long (ms). */
export const GROUP_MAX_MS = 5;

interface Work {
  fn: (trx: Trx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Turns the connection's in-memory journal for savepoints on (true) and back off (false): on
 * SQLite, `pragma temp_store`. A group's savepoints copy every page a joiner changes into a
 * sub-journal, which past 64 KiB spilled into a new temporary file, about once per parcel
 * cycle in the cycle benchmark (an open, an unlink, ~90 writes and a close); in memory it costs
 * a copy. SQLite takes the setting when the transaction first writes, so it is turned on as the
 * group begins and off again before its COMMIT: everything else keeps temporary files, so a
 * large sort still spills to disk instead of growing the process.
 */
export type MemoryJournal = (on: boolean) => void;

/** What commits in groups: one per SQLite database that `groupCommits` was called on. */
class GroupCommitter {
  private readonly queue: Work[] = [];
  private draining = false;
  /** Groups committed and pieces of work in them, since the start (benchmarks read them). */
  readonly stats = { groups: 0, items: 0, largest: 0 };

  constructor(
    private readonly db: Database,
    private readonly maxMs = GROUP_MAX_MS,
  ) {}

  run<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // Start once this turn of the event loop has handed over everything it read: the
      // messages of one socket read, the callbacks of one poll phase join the first.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.group();
    } finally {
      this.draining = false;
    }
  }

  /** One transaction: the first queued piece of work, then whatever queued meanwhile. */
  private async group(): Promise<void> {
    const done: { work: Work; value: unknown; hooks: (() => void)[] }[] = [];
    let first: Work | undefined;
    try {
      await this.db.transaction().execute(async (trx) => {
        const openedAt = performance.now();
        const memoryJournal = memoryJournals.get(this.db);
        memoryJournal?.(true);
        try {
          first = this.queue.shift()!;
          // The first needs no savepoint: if it fails, the whole (so far empty) transaction goes.
          done.push({ work: first, ...(await attempt(trx, first)) });
          first = undefined;
          while (
            this.queue.length > 0 &&
            done.length < GROUP_MAX_ITEMS &&
            performance.now() - openedAt < this.maxMs
          ) {
            const work = this.queue.shift()!;
            let saved = false;
            try {
              await sql`savepoint group_item`.execute(trx);
              saved = true;
              const ran = await attempt(trx, work);
              await sql`release group_item`.execute(trx);
              done.push({ work, ...ran });
            } catch (e) {
              work.reject(e);
              if (!saved) throw e; // no savepoint to go back to: the whole group goes
              await sql`rollback to group_item`.execute(trx);
              await sql`release group_item`.execute(trx);
            }
          }
        } finally {
          memoryJournal?.(false); // before the COMMIT: this transaction keeps what it took
        }
      });
    } catch (e) {
      // The first piece of work failed (nothing else had joined), or the COMMIT did: then none is durable.
      if (first) first.reject(e);
      for (const d of done) d.work.reject(e);
      return;
    }
    this.stats.groups++;
    this.stats.items += done.length;
    this.stats.largest = Math.max(this.stats.largest, done.length);
    for (const d of done) {
      // A hook that throws fails its own caller, after the commit, as a lone transaction's would.
      try {
        for (const h of d.hooks) h();
        d.work.resolve(d.value);
      } catch (e) {
        d.work.reject(e);
      }
    }
  }
}

/** Run one piece of work with its own afterCommit list (the group's pieces share one transaction object). */
async function attempt(trx: Trx, work: Work): Promise<{ value: unknown; hooks: (() => void)[] }> {
  const hooks: (() => void)[] = [];
  pending.set(trx, hooks);
  try {
    return { value: await work.fn(trx), hooks };
  } finally {
    pending.delete(trx);
  }
}

const committers = new WeakMap<Database, GroupCommitter>();
const memoryJournals = new WeakMap<Database, MemoryJournal>();

/**
 * Let `transact` on this database commit in groups (SQLite only: one writer, one connection).
 * `maxMs` replaces GROUP_MAX_MS (tests whose assertions need a whole group on a loaded machine);
 * `memoryJournal` is how the database keeps a group's savepoints in memory (database.ts), kept
 * for the database from then on.
 */
export function groupCommits(
  db: Database,
  on = true,
  opts: { maxMs?: number; memoryJournal?: MemoryJournal } = {},
): void {
  if (opts.memoryJournal) memoryJournals.set(db, opts.memoryJournal);
  if (!on) committers.delete(db);
  else if (opts.maxMs !== undefined) committers.set(db, new GroupCommitter(db, opts.maxMs));
  else if (!committers.has(db)) committers.set(db, new GroupCommitter(db));
}

/** Groups committed on this database and the work in them, when it commits in groups. */
export function groupCommitStats(db: Database): GroupCommitter['stats'] | undefined {
  return committers.get(db)?.stats;
}

/** Run `fn` in a transaction; after the commit, run what it registered with afterCommit. */
export async function transact<T>(db: Database, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const group = committers.get(db);
  if (group) return group.run(fn);
  const hooks: (() => void)[] = [];
  const result = await db.transaction().execute(async (trx) => {
    pending.set(trx, hooks);
    try {
      return await fn(trx);
    } finally {
      pending.delete(trx);
    }
  });
  for (const h of hooks) h();
  return result;
}

/**
 * Run `fn` after the transaction `db` commits, when it was opened by `transact`; false
 * otherwise (a plain transaction or no transaction: the caller must arrange delivery itself).
 */
export function afterCommit(db: Executor, fn: () => void): boolean {
  const hooks = pending.get(db);
  if (!hooks) return false;
  hooks.push(fn);
  return true;
}

/** Whether `db` is a transaction opened by `transact` (afterCommit hooks will run). */
export function commitsLater(db: Executor): boolean {
  return pending.has(db);
}
