import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * UV disinfection (issue 12, ADR 0019): every cycle a locker reports, with its outcome;
 * each community's after-use policy; and a pointer from each compartment to its last cycle.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('uv_cycles')
    .addColumn('locker_id', 'text', (c) => c.notNull().references('lockers.id'))
    // The seq of the fact that opened the record (uv_started, or a lone uv_done / uv_blocked): stored once, like the fact.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('compartment', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text')
    .addColumn('command_id', 'text')
    .addColumn('duration_seconds', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('ran_seconds', 'integer')
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('ended_at', ts)
    .addColumn('recorded_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('uv_cycles_pk', ['locker_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('uv_cycles_compartment_idx')
    .on('uv_cycles')
    .columns(['locker_id', 'compartment', 'recorded_at'])
    .execute();

  await db.schema
    .createTable('uv_policies')
    .addColumn('community_id', 'text', (c) => c.primaryKey().references('communities.id'))
    .addColumn('after_use', 'text', (c) => c.notNull().defaultTo('every_use'))
    .addColumn('cycle_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema.alterTable('compartments').addColumn('last_uv_seq', 'integer').execute();
  // The parcel a completed cycle followed (its pickup), found without scanning the locker's history.
  await db.schema
    .createIndex('parcels_pickup_compartment_idx')
    .on('parcels')
    .columns(['locker_id', 'compartment', 'picked_up_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_pickup_compartment_idx').execute();
  await db.schema.alterTable('compartments').dropColumn('last_uv_seq').execute();
  await db.schema.dropTable('uv_policies').execute();
  await db.schema.dropTable('uv_cycles').execute();
}
