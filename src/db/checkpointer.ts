/**
 * The WAL checkpoint, off the event loop (ADR 0039). SQLite's auto-checkpoint runs inside the
 * commit that crosses 1,000 WAL pages: that commit copies every page into the database file
 * and fsyncs it, 5–15 ms during which the node answers nothing (half of all commit time in the
 * cycle benchmark's profile). Here a worker thread with a connection of its own runs a PASSIVE
 * checkpoint every `intervalMs` (src/db/checkpoint-worker.cjs), so the copy and its fsyncs run
 * on another core beside the loop. The main connection keeps an auto-checkpoint only as a
 * backstop, far above what the worker lets the WAL reach: should the worker die or fall
 * behind, the WAL is still bounded and the node still works, as it did before.
 *
 * Durability is unchanged: a commit is durable when it is in the WAL (synchronous = NORMAL,
 * ADR 0003); the checkpoint only moves committed pages into the main file.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the worker copies the WAL into the database file (ms). */
export const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's own default, which the main connection returns to if the worker is gone. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The main connection's backstop while the worker runs: 16,384 pages (64 MiB of WAL). */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_384;

export interface CheckpointStats {
  checkpoints: number;
  framesCopied: number;
  /** Checkpoints that could not copy everything (a reader held an older snapshot). */
  busy: number;
  failures: number;
  lastError: string | null;
}

export interface Checkpointer {
  /** Run one checkpoint now and wait for it (tests, and before a backup). */
  checkpoint(): Promise<CheckpointStats>;
  /** Stop the worker and close its connection; the main connection goes back to SQLite's default. */
  stop(): Promise<CheckpointStats | undefined>;
}

const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Start the checkpointer for `raw`, a WAL database opened from `file`. Resolves once the
 * worker's connection is open; if the worker cannot start or dies later, the main connection
 * checkpoints for itself again (SQLite's default) and `onFailure` hears why.
 */
export async function startCheckpointer(
  raw: SQLite.Database,
  file: string,
  opts: { intervalMs?: number; onFailure?: (error: Error) => void } = {},
): Promise<Checkpointer> {
  const worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), {
    workerData: { file, sqlitePath, intervalMs: opts.intervalMs ?? CHECKPOINT_INTERVAL_MS },
  });
  let alive = true;
  let last: CheckpointStats | undefined;
  const waiting: ((s: CheckpointStats) => void)[] = [];
  const fallBack = (error: Error) => {
    if (!alive) return;
    alive = false;
    if (raw.open) raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    for (const w of waiting.splice(0)) w(last ?? emptyStats());
    opts.onFailure?.(error);
  };
  // Referenced until it is ready, so a process with nothing else to do waits for it.
  await new Promise<void>((resolve) => {
    const failed = (e: Error) => {
      fallBack(e);
      done();
    };
    const exited = (code: number) =>
      failed(new Error(`the checkpoint worker exited before it was ready (code ${code})`));
    const done = () => {
      worker.off('message', done).off('error', failed).off('exit', exited);
      resolve();
    };
    worker.once('message', done); // 'ready'
    worker.once('error', failed);
    worker.once('exit', exited);
  });
  // Then it must never keep a finished process alive (a CLI command, a test file).
  worker.unref();
  if (!alive) return { checkpoint: async () => emptyStats(), stop: async () => undefined };
  raw.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  worker.on('message', (m: { type: string; stats: CheckpointStats }) => {
    last = m.stats;
    if (m.type === 'checkpointed') waiting.shift()?.(m.stats);
  });
  worker.on('error', fallBack);
  worker.on('exit', (code) => fallBack(new Error(`the checkpoint worker exited (code ${code})`)));
  let stopping: Promise<CheckpointStats | undefined> | undefined;
  return {
    checkpoint: () =>
      alive
        ? new Promise<CheckpointStats>((resolve) => {
            // Held while the answer is awaited: an unref'd worker alone would let the process end first.
            worker.ref();
            waiting.push((s) => {
              worker.unref();
              resolve(s);
            });
            worker.postMessage('checkpoint');
          })
        : Promise.resolve(last ?? emptyStats()),
    stop: () =>
      (stopping ??= (async () => {
        if (!alive) return last;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        alive = false; // a deliberate stop is not a failure
        // Awaited by whoever closes the database: keep the process up until the worker is gone
        // (with nothing else left to do, an unref'd worker would let it exit mid-await, code 13).
        worker.ref();
        worker.postMessage('stop');
        await exited;
        if (raw.open) raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
        return last;
      })()),
  };
}

function emptyStats(): CheckpointStats {
  return { checkpoints: 0, framesCopied: 0, busy: 0, failures: 0, lastError: null };
}
