/**
 * The SQLite settings every antnest SQLite file opens with, the cloud's embedded database
 * (src/db/database.ts) and the device agent's local store (src/device/adapters/sqlite-store.ts)
 * and the floor benchmark alike, so their numbers compare: WAL so readers never block the writer, NORMAL sync (durable at checkpoints, safe
 * with WAL), foreign keys enforced, and a busy wait instead of an immediate SQLITE_BUSY.
 * A log that one large transaction grew (the demo's seed writes ~45 MiB) is cut back to
 * 16 MiB when it next starts over, instead of keeping its size on disk for good.
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'journal_size_limit = 16777216',
] as const;
