/**
 * The SQLite settings every antnest SQLite file opens with, the cloud's embedded database
 * (src/db/database.ts) and the device agent's local store (src/device/adapters/sqlite-store.ts)
 * and the floor benchmark alike, so their numbers compare: WAL so readers never block the writer, NORMAL sync (durable at checkpoints, safe
 * with WAL), foreign keys enforced, and a busy wait instead of an immediate SQLITE_BUSY.
 *
 * - `journal_size_limit`: a log that one large transaction grew past 64 MiB (a bulk import)
 *   is cut back to 64 MiB when it next starts over, instead of keeping its size on disk for
 *   good. Not less: under steady writes the log only starts over when a checkpoint
 *   happened to catch up with the last commit, and it reached 27 MiB between restarts at
 *   120 cycles/s in the cycle benchmark. A 16 MiB limit then truncated it on the event loop
 *   (4–9 ms each time) and the file system allocated its blocks again as it regrew (ADR 0039).
 *
 * Temporary storage stays SQLite's default, files: a sort or a DISTINCT larger than memory
 * spills to disk instead of growing the process. Only the group commit's transactions keep
 * their savepoints' page copies in memory (ADR 0036, `memoryJournal` in src/db/transact.ts).
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'journal_size_limit = 67108864',
] as const;
