import { sql, type Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * Issue 19: a late answer to an open must not reopen a door the device has since reported
 * (ADR 0007). That was asked of `locker_events` through `locker_events_door_idx`, an index
 * every device fact paid for (1.4 of the 24 WAL pages a commit wrote in the cycle benchmark,
 * and an entry per fact for good: 10 M facts, 10 M entries). The compartment now keeps the
 * device time of its last door fact, written by the update the fact makes anyway, and the
 * index goes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('compartments').addColumn('door_fact_at', timestampType(db)).execute();
  // From the history, while its index still answers quickly.
  await sql`update compartments set door_fact_at = (
      select max(e.occurred_at) from locker_events e
      where e.locker_id = compartments.locker_id and e.compartment = compartments.number
        and e.type in ('door_opened', 'door_closed', 'uncommanded_open'))`.execute(db);
  await db.schema.dropIndex('locker_events_door_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('locker_events_door_idx')
    .on('locker_events')
    .columns(['locker_id', 'compartment', 'occurred_at'])
    .execute();
  await db.schema.alterTable('compartments').dropColumn('door_fact_at').execute();
}
