import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Dashboard rollups (issue 18, ADR 0029): hourly and daily counter tables at two grains (a
 * locker's row and its community's row, locker_id ''), the lockers' place labels for
 * drill-down, and the presence spans the device-health chart replays on a rebuild.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('analytics_hourly')
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('locker_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_hourly_pk', [
      'community_id',
      'locker_id',
      'metric',
      'hour',
      'dim',
    ])
    .execute();
  // The same counters per local (Asia/Shanghai) day: long windows read 24× fewer rows.
  await db.schema
    .createTable('analytics_daily')
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('locker_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_daily_pk', [
      'community_id',
      'locker_id',
      'metric',
      'day',
      'dim',
    ])
    .execute();
  await db.schema
    .createTable('analytics_lockers')
    .addColumn('locker_id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('compound_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_lockers_compound_idx')
    .on('analytics_lockers')
    .columns(['community_id', 'compound_id'])
    .execute();
  await db.schema
    .createTable('analytics_offline_spans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locker_id', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('from_at', ts, (c) => c.notNull())
    .addColumn('to_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_offline_spans').execute();
  await db.schema.dropTable('analytics_lockers').execute();
  await db.schema.dropTable('analytics_daily').execute();
  await db.schema.dropTable('analytics_hourly').execute();
}
