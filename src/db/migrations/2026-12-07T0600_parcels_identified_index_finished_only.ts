import { sql, type Kysely } from 'kysely';

/**
 * Issue 19: `parcels_identified_idx` (community, updated_at) held every parcel not yet
 * de-identified, live ones included, so each change of a live parcel (its code, stored, picked
 * up: about four a parcel cycle) moved its entry, about 0.5 of the 19 WAL pages each commit wrote
 * in the cycle benchmark. Only the retention sweep reads it, and only for finished parcels; the
 * index now holds those alone, entered once when a parcel finishes. The status list is written
 * as the sweep's queries write it (`FINISHED` in retention.repository.ts), in the same order:
 * SQLite uses a partial index only when the query repeats its terms.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_identified_idx').execute();
  await sql`create index parcels_identified_idx on parcels (community_id, updated_at)
    where deidentified_at is null and status in ('picked_up', 'cancelled', 'returned')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_identified_idx').execute();
  await sql`create index parcels_identified_idx on parcels (community_id, updated_at) where deidentified_at is null`.execute(
    db,
  );
}
