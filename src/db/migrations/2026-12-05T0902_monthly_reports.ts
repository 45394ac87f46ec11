import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Monthly community reports (issue 18): the figures of one community's month, frozen when
 * the report is generated (by the month-start job or on demand). HTML and PDF are rendered
 * from the stored figures, so a report reads the same whenever it is opened.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('analytics_monthly_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('generated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_monthly_reports_month_idx')
    .on('analytics_monthly_reports')
    .columns(['community_id', 'month'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_monthly_reports').execute();
}
