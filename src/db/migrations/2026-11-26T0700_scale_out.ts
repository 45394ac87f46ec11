import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Scale-out (ADR 0016). One row per scheduled job (overdue sweep, retention, …): which node runs it now, until
 * when its lease holds, and when it is next due. Nodes claim a due job with one
 * conditional update, so a job runs once per period across the cluster (ADR 0016).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('lease_until', ts)
    .addColumn('next_run_at', ts, (c) => c.notNull())
    .addColumn('runs', 'bigint', (c) => c.notNull())
    .addColumn('last_started_at', ts)
    .addColumn('last_finished_at', ts)
    .addColumn('last_error', 'text')
    .execute();
  // Ingest asks "did a door fact of this compartment arrive after this response?" (a late response must not reopen a door).
  await db.schema
    .createIndex('locker_events_door_idx')
    .on('locker_events')
    .columns(['locker_id', 'compartment', 'occurred_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('locker_events_door_idx').execute();
  await db.schema.dropTable('job_leases').execute();
}
