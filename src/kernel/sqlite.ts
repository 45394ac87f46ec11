/**
 * The SQLite settings every antnest SQLite file opens with, the cloud's embedded database
 * (src/db/database.ts) and the device agent's local store (src/device/adapters/sqlite-store.ts)
 * and the floor benchmark alike, so their numbers compare: WAL so readers never block the writer, NORMAL sync (durable at checkpoints, safe
 * with WAL), foreign keys enforced, and a busy wait instead of an immediate SQLITE_BUSY.
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
] as const;
