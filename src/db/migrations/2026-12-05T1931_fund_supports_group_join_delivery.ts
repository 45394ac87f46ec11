import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Issue 17: residents support proposals before a round (Decidim's supports phase). One
 * support per household (unit) and proposal; the proposal keeps its count beside it, and a
 * round may ask for a minimum of supports before a proposal enters it.
 * Issue 15: a confirmed group-buy join is delivered into the unit's locker (its parcel) or
 * handed over at the hall (when).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('fund_supports')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('fund_proposals.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('fund_supports_one_per_household', ['proposal_id', 'unit_id'])
    .execute();
  await db.schema
    .alterTable('fund_proposals')
    .addColumn('supports', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('fund_rounds')
    .addColumn('min_supports', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('hall_group_joins').addColumn('parcel_id', 'text').execute();
  await db.schema.alterTable('hall_group_joins').addColumn('handed_over_at', ts).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hall_group_joins').dropColumn('handed_over_at').execute();
  await db.schema.alterTable('hall_group_joins').dropColumn('parcel_id').execute();
  await db.schema.alterTable('fund_rounds').dropColumn('min_supports').execute();
  await db.schema.alterTable('fund_proposals').dropColumn('supports').execute();
  await db.schema.dropTable('fund_supports').execute();
}
