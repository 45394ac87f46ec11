import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/** The places hierarchy and carriers. */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('subdistricts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('communities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subdistrict_id', 'text', (c) => c.notNull().references('subdistricts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('communities_subdistrict_idx')
    .on('communities')
    .column('subdistrict_id')
    .execute();

  const tenantTable = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'));

  await tenantTable('compounds')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await tenantTable('grids')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('service_phone', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await tenantTable('buildings')
    .addColumn('compound_id', 'text', (c) => c.notNull().references('compounds.id'))
    .addColumn('grid_id', 'text', (c) => c.references('grids.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('floors', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await tenantTable('units')
    .addColumn('compound_id', 'text', (c) => c.notNull().references('compounds.id'))
    .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('households', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await tenantTable('halls')
    .addColumn('compound_id', 'text', (c) => c.references('compounds.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('opening_hours', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await tenantTable('locker_sites')
    .addColumn('compound_id', 'text', (c) => c.notNull().references('compounds.id'))
    .addColumn('building_id', 'text', (c) => c.notNull().references('buildings.id'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await tenantTable('police_contacts')
    .addColumn('grid_id', 'text', (c) => c.references('grids.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('work_phone', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  for (const t of [
    'compounds',
    'grids',
    'buildings',
    'units',
    'halls',
    'locker_sites',
    'police_contacts',
  ]) {
    await db.schema.createIndex(`${t}_community_idx`).on(t).column('community_id').execute();
  }
  await db.schema
    .createIndex('buildings_compound_idx')
    .on('buildings')
    .column('compound_id')
    .execute();
  await db.schema.createIndex('buildings_grid_idx').on('buildings').column('grid_id').execute();
  await db.schema.createIndex('units_building_idx').on('units').column('building_id').execute();

  await db.schema
    .createTable('carriers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'carriers',
    'police_contacts',
    'locker_sites',
    'halls',
    'units',
    'buildings',
    'grids',
    'compounds',
    'communities',
    'subdistricts',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
