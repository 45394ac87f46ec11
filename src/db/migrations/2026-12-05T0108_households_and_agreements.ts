import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Binding a home (issue 12): invitations a resident of a unit hands to family, requests a
 * community worker approves; the user agreement and privacy notice each person accepted
 * (version and time, PIPL); per-account display settings (elder mode).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('household_invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    // Only a keyed hash of the code is kept: a database reader cannot join a home with it.
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('used_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('household_invites_unit_idx')
    .on('household_invites')
    .columns(['unit_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('household_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('decided_at', ts)
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('household_requests_queue_idx')
    .on('household_requests')
    .columns(['community_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('household_requests_user_idx')
    .on('household_requests')
    .columns(['user_id', 'status'])
    .execute();

  await db.schema
    .createTable('agreement_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('accepted_at', ts, (c) => c.notNull())
    .addUniqueConstraint('agreement_acceptances_once', ['user_id', 'document', 'version'])
    .execute();

  await db.schema
    .createTable('user_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('elder_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}
