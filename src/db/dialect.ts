import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** True when this Kysely instance talks to PostgreSQL (migrations pick column types with it). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Column type for instants: timestamptz on PostgreSQL, ISO-8601 UTC text on SQLite.
 * Both read back as ISO strings (see db/database.ts and ADR 0003).
 */
export function timestampType(db: Kysely<any>) {
  return isPostgres(db) ? sql`timestamptz` : sql`text`;
}
