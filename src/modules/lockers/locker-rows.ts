/**
 * The locker rows that ingest reads for messages that change nothing most of the time
 * (heartbeats, state snapshots, status, screen signals), kept in memory on SQLite so an idle
 * fleet's heartbeats read nothing: at 1,500 lockers that was 50 reads a second, ~5 per parcel
 * cycle at 10 cycles/s (issue 19, item 3).
 *
 * Exact, not eventually right: on SQLite the node is the database's only writer, and every
 * function that writes `lockers` (this module's repositories; no other module may, ADR 0020)
 * calls `wroteLocker` with the id it wrote, or `rememberLocker` with the row it read back.
 * `locker-rows.test.ts` holds every such function to that. On PostgreSQL several
 * nodes write the same rows, so there it always reads.
 */
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { RowCache } from '../../db/row-cache.ts';
import type { LockerTable } from './locker.table.ts';

type LockerRow = LockerTable;

/** Room for the largest fleet one node carries (bench: 10,000 lockers). */
const rows = new RowCache<LockerRow>(Infinity, 20_000);

/** The locker's row: from memory on SQLite once read, else what `read` reads (locker.repository.ts: findLockerCached). */
export function cachedLocker(
  db: Executor,
  id: string,
  read: () => Promise<LockerRow | undefined>,
): Promise<LockerRow | undefined> {
  if (isPostgres(db)) return read();
  return rows.get(db, id, async () => frozen(await read()));
}

/** The kept row, if there is one (SQLite only; on PostgreSQL never): what the database holds now. */
export function keptLocker(db: Executor, id: string): LockerRow | undefined {
  return isPostgres(db) ? undefined : rows.peek(db, id);
}

/** Kept rows are shared by every reader: frozen, so a caller that changed one would throw, not corrupt it. */
function frozen<T extends object | undefined>(row: T): T {
  return row && Object.freeze(row);
}

/** A write returned the locker's whole row: keep it once the write commits. */
export function rememberLocker(db: Executor, row: LockerRow): void {
  if (!isPostgres(db)) rows.put(db, row.id, frozen(row));
}

/** A write changed the locker's row: the next read goes to the database. */
export function wroteLocker(db: Executor, id: string): void {
  if (!isPostgres(db)) rows.invalidate(db, id);
}

/**
 * The sightings written behind (`markSeen`) moved `last_seen_at` to `at` where it was older:
 * the same on the kept row, outside a transaction (in one, forget the row instead), so an
 * idle locker's next heartbeat still reads nothing.
 */
export function sightingWritten(db: Executor, id: string, at: string): void {
  if (isPostgres(db)) return;
  if (db.isTransaction) return rows.invalidate(db, id);
  rows.patch(db, id, (row) =>
    row.last_seen_at === null || row.last_seen_at < at ? frozen({ ...row, last_seen_at: at }) : row,
  );
}
