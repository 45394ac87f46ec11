import { type Kysely, sql } from 'kysely';

/**
 * Issue 14 (ADR 0038): the lockers directory stops joining places' tables. It reads a copy of
 * each locker site's place names in `locker_site_places`, owned by lockers, kept current by
 * places' `place.renamed` event. Filled here for every site that already has a cabinet.
 * And: finished UV cycles are pruned after a while (uv.service.ts `pruneUvCycles`), found by
 * the time they were recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('locker_site_places')
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('building_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('community_name', 'text', (c) => c.notNull())
    .addColumn('compound_name', 'text', (c) => c.notNull())
    .addColumn('building_name', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text')
    .addColumn('site_name', 'text', (c) => c.notNull())
    .execute();
  // A rename updates every site under the renamed place: one index per level it names.
  for (const col of ['community_id', 'compound_id', 'building_id', 'unit_id'])
    await db.schema
      .createIndex(`locker_site_places_${col.replace('_id', '')}_idx`)
      .on('locker_site_places')
      .column(col)
      .execute();
  await sql`
    insert into locker_site_places (site_id, community_id, compound_id, building_id, unit_id,
      community_name, compound_name, building_name, unit_name, site_name)
    select s.id, s.community_id, s.compound_id, s.building_id, s.unit_id,
      m.name, c.name, b.name, u.name, s.name
    from locker_sites s
    join communities m on m.id = s.community_id
    join compounds c on c.id = s.compound_id
    join buildings b on b.id = s.building_id
    left join units u on u.id = s.unit_id
    where exists (select 1 from lockers l where l.site_id = s.id)`.execute(db);
  await db.schema
    .createIndex('uv_cycles_recorded_idx')
    .on('uv_cycles')
    .column('recorded_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('uv_cycles_recorded_idx').execute();
  await db.schema.dropTable('locker_site_places').execute();
}
