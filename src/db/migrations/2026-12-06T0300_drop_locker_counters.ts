import type { Kysely } from 'kysely';

/**
 * Issue 19: the per-locker and per-community hourly and daily counters (`analytics_hourly`,
 * `analytics_daily`, ADR 0029) go. No dashboard read them since the area rollups (migration
 * 2026-12-05T1401) carry every figure per locker, compound, community and subdistrict; they
 * were kept only as a second record for tests and the rebuild, and cost every parcel step two
 * upserts and ≈ 1.6 of the ≈ 18.6 WAL pages a commit writes. `antnest analytics rebuild`
 * recomputes the areas from the sources, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_daily').execute();
  await db.schema.dropTable('analytics_hourly').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const key = ['community_id', 'locker_id', 'metric'] as const;
  for (const [table, grain] of [
    ['analytics_hourly', 'hour'],
    ['analytics_daily', 'day'],
  ] as const)
    await db.schema
      .createTable(table)
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('locker_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn(grain, 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [...key, grain, 'dim'])
      .execute();
}
