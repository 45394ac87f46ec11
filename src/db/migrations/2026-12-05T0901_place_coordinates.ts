import type { Kysely } from 'kysely';

/**
 * WGS-84 coordinates on the places a resident walks between (issue 18, ADR 0030):
 * compounds, buildings, service halls and locker sites (a locker stands at its site).
 * Nullable: places added before this migration, or by hand, have none until set.
 */
const TABLES = ['compounds', 'buildings', 'halls', 'locker_sites'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).addColumn('lat', 'double precision').execute();
    await db.schema.alterTable(table).addColumn('lng', 'double precision').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).dropColumn('lng').execute();
    await db.schema.alterTable(table).dropColumn('lat').execute();
  }
}
