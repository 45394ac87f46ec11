/**
 * `last_seen_at` written behind. A heartbeat that finds nothing missing, a snapshot or a
 * status change only says "this locker is alive": on a running node that goes into memory
 * and is written for every locker at once, every LAST_SEEN_FLUSH_MS, in one statement per 500
 * lockers and one commit, instead of a transaction per sighting (25 a second from an idle
 * fleet of 1,500 lockers). The column is kept to the minute anyway (LAST_SEEN_RESOLUTION_MS)
 * and only shown to staff; presence and the offline alert come from the status topic. A node
 * that dies loses at most one interval of sightings, which the next heartbeat brings back.
 * Without a running writer (tests, the CLI) a sighting is written at once, as before.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../../db/database.ts';
import type { AppDeps } from '../../platform/deps.ts';
import * as lockers from './locker.repository.ts';

/** How often a node writes the sightings it holds. */
export const LAST_SEEN_FLUSH_MS = 10_000;

const writers = new WeakMap<Pick<AppDeps, 'db'>, Map<string, string>>();

/** `last_seen_at` is kept to the minute: a sighting within that of the last one writes nothing. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Record that a locker was seen at `nowMs`, unless its row says so to the minute already:
 * behind on a node running a writer, else at once on `db`.
 */
export async function sawLocker(
  db: Executor,
  deps: Pick<AppDeps, 'db'>,
  locker: Pick<lockers.LockerRow, 'id' | 'last_seen_at'>,
  nowMs: number,
): Promise<void> {
  if (
    locker.last_seen_at !== null &&
    Date.parse(locker.last_seen_at) > nowMs - LAST_SEEN_RESOLUTION_MS
  )
    return;
  const at = new Date(nowMs).toISOString();
  const pending = writers.get(deps);
  if (pending) pending.set(locker.id, at);
  else await lockers.markSeen(db, [{ id: locker.id, at }]);
}

/** The writer of a running node. */
export interface SightingWriter {
  /** Write what is held now (stop and tests call it). */
  flush(): Promise<void>;
  /** Stop holding sightings and write the last ones. */
  stop(): Promise<void>;
}

/** Hold this node's sightings and write them every LAST_SEEN_FLUSH_MS. */
export function writeSightingsBehind(
  deps: Pick<AppDeps, 'db'>,
  log: FastifyBaseLogger,
  everyMs = LAST_SEEN_FLUSH_MS,
): SightingWriter {
  const pending = new Map<string, string>();
  writers.set(deps, pending);
  const flush = async () => {
    if (pending.size === 0) return;
    const batch = [...pending].map(([id, at]) => ({ id, at }));
    pending.clear();
    try {
      await lockers.markSeen(deps.db, batch);
    } catch (err) {
      log.warn({ err, lockers: batch.length }, 'last-seen times not written; trying again');
      for (const s of batch) if (!pending.has(s.id)) pending.set(s.id, s.at);
    }
  };
  const timer = setInterval(() => void flush(), everyMs);
  timer.unref();
  return {
    flush,
    stop: async () => {
      clearInterval(timer);
      if (writers.get(deps) === pending) writers.delete(deps);
      await flush();
    },
  };
}
