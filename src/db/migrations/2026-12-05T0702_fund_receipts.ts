import { type Kysely, sql } from 'kysely';
import { isPostgres, timestampType } from '../dialect.ts';

/**
 * Receipt files of the fund's spending (issue 17): images or PDFs the community office
 * attaches to a payment, published on the fund's public page. Bytes in the database like
 * request photos (ADR 0024), so every API node serves them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  const bytes = isPostgres(db) ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('fund_receipt_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('spend_id', 'text', (c) => c.notNull().references('fund_spends.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fund_receipt_files_spend_idx')
    .on('fund_receipt_files')
    .columns(['spend_id', 'created_at'])
    .execute();
}
