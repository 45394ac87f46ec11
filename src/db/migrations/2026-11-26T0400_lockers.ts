import { type Kysely, sql } from 'kysely';
import { timestampType } from '../dialect.ts';

/** Lockers, compartments, the command outbox, the event log (stored once per seq) and alerts. */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('lockers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('locker_sites.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('provisioning_hash', 'text')
    .addColumn('provisioning_expires_at', ts)
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('presence_changed_at', ts)
    .addColumn('connection_id', 'text')
    .addColumn('last_seen_at', ts)
    .addColumn('reported_revision', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('agent_version', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('lockers_community_idx')
    .on('lockers')
    .column('community_id')
    .execute();
  await db.schema.createIndex('lockers_site_idx').on('lockers').column('site_id').execute();

  await db.schema
    .createTable('compartments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('locker_id', 'text', (c) => c.notNull().references('lockers.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('door', 'text', (c) => c.notNull())
    .addColumn('occupied', 'text', (c) => c.notNull())
    .addColumn('uv', 'text', (c) => c.notNull())
    .addColumn('uv_result', 'text')
    .addColumn('last_disinfected_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('compartments_locker_number', ['locker_id', 'number'])
    .execute();

  await db.schema
    .createTable('locker_commands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('locker_id', 'text', (c) => c.notNull().references('lockers.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('compartment', 'integer')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('response_status', 'text')
    .addColumn('response', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('answered_at', ts)
    .execute();
  await db.schema
    .createIndex('locker_commands_locker_idx')
    .on('locker_commands')
    .columns(['locker_id', 'created_at'])
    .execute();
  // The dispatcher's scan: only unfinished commands, by due time.
  await db.schema
    .createIndex('locker_commands_due_idx')
    .on('locker_commands')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('locker_events')
    .addColumn('locker_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('compartment', 'integer')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('occurred_at', ts, (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('locker_events_pk', ['locker_id', 'seq'])
    .execute();

  await db.schema
    .createTable('locker_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('locker_id', 'text', (c) => c.notNull().references('lockers.id'))
    .addColumn('compartment', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull())
    .addColumn('opened_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .addColumn('acknowledged_at', ts)
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', ts)
    .execute();
  await db.schema
    .createIndex('locker_alerts_community_idx')
    .on('locker_alerts')
    .columns(['community_id', 'status'])
    .execute();
  // At most one unresolved alert per (locker, compartment, kind).
  await sql`create unique index locker_alerts_open_unique on locker_alerts (dedup_key) where status <> 'resolved'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['locker_alerts', 'locker_events', 'locker_commands', 'compartments', 'lockers'])
    await db.schema.dropTable(t).execute();
}
