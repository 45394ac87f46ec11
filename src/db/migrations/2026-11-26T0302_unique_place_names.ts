import type { Kysely } from 'kysely';

/** Names are unique within their parent, enforced by the database so concurrent creates cannot both win. */
const UNIQUE: ReadonlyArray<[table: string, parent: string]> = [
  ['communities', 'subdistrict_id'],
  ['compounds', 'community_id'],
  ['grids', 'community_id'],
  ['halls', 'community_id'],
  ['buildings', 'compound_id'],
  ['units', 'building_id'],
  ['locker_sites', 'building_id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, parent] of UNIQUE) {
    await db.schema
      .createIndex(`${table}_name_unique`)
      .on(table)
      .columns([parent, 'name'])
      .unique()
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table] of UNIQUE) await db.schema.dropIndex(`${table}_name_unique`).execute();
}
