import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Notices and activities (issue 15, items 5–6): policy publicity and public-welfare
 * activities scoped to a subdistrict, a community or a compound; sign-ups with a
 * capacity and a waiting list; the hall kiosk's short sessions; the local
 * social-security provider's demo records.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  // Both notices and activities carry the place they address, denormalised so one
  // indexed query finds everything covering a resident's unit.
  for (const table of ['notices', 'activities']) {
    let t = db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scope_kind', 'text', (c) => c.notNull())
      .addColumn('subdistrict_id', 'text', (c) => c.notNull().references('subdistricts.id'))
      .addColumn('community_id', 'text', (c) => c.references('communities.id'))
      .addColumn('compound_id', 'text', (c) => c.references('compounds.id'))
      .addColumn('hall_id', 'text', (c) => c.references('halls.id'))
      .addColumn('title', 'text', (c) => c.notNull());
    t =
      table === 'notices'
        ? t
            .addColumn('body', 'text', (c) => c.notNull())
            .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
            .addColumn('pinned_until', ts)
            .addColumn('expires_at', ts)
        : t
            .addColumn('description', 'text', (c) => c.notNull())
            .addColumn('location', 'text', (c) => c.notNull())
            .addColumn('starts_at', ts, (c) => c.notNull())
            .addColumn('ends_at', ts, (c) => c.notNull())
            .addColumn('signup_closes_at', ts, (c) => c.notNull())
            .addColumn('capacity', 'integer', (c) => c.notNull())
            .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
            .addColumn('signup_seq', 'integer', (c) => c.notNull().defaultTo(0))
            .addColumn('status', 'text', (c) => c.notNull());
    await t
      .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex(`${table}_audience_idx`)
      .on(table)
      .columns(['subdistrict_id', 'community_id', 'compound_id'])
      .execute();
  }

  await db.schema
    .createTable('activity_signups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'text', (c) => c.notNull().references('activities.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('community_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // Order on the waiting list: taken from activities.signup_seq under the activity's row lock.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('reminded_at', ts)
    // One row per person and activity: signing up again after cancelling reuses it.
    .addUniqueConstraint('activity_signups_once', ['activity_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('activity_signups_queue_idx')
    .on('activity_signups')
    .columns(['activity_id', 'status', 'seq'])
    .execute();
  await db.schema
    .createIndex('activity_signups_user_idx')
    .on('activity_signups')
    .columns(['user_id', 'status'])
    .execute();

  await db.schema
    .createTable('kiosk_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('ended_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kiosk_sessions_open_idx')
    .on('kiosk_sessions')
    .columns(['ended_at', 'expires_at'])
    .execute();

  // The local (demo) social-security provider's records, keyed like the real one would be
  // by the insured person's identity: here the keyed hash of their verified phone.
  await db.schema
    .createTable('social_security_records')
    .addColumn('phone_hash', 'text', (c) => c.primaryKey())
    .addColumn('insured_name', 'text', (c) => c.notNull())
    .addColumn('insured_place', 'text', (c) => c.notNull())
    .addColumn('pension_status', 'text', (c) => c.notNull())
    .addColumn('pension_months', 'integer', (c) => c.notNull())
    .addColumn('pension_balance_fen', 'integer', (c) => c.notNull())
    .addColumn('medical_status', 'text', (c) => c.notNull())
    .addColumn('medical_balance_fen', 'integer', (c) => c.notNull())
    .addColumn('last_paid_month', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}
