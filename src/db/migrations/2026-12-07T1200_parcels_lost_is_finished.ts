import { sql, type Kysely } from 'kysely';

/**
 * A parcel staff record lost (status `lost`, ADR 0041) is finished: the retention sweep must
 * find it and blank its personal data like a picked-up one. `parcels_identified_idx` is partial
 * on the finished statuses, written as the sweep's queries write them (`FINISHED` in
 * retention.repository.ts), in the same order: SQLite uses a partial index only when the query
 * repeats its terms.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_identified_idx').execute();
  await sql`create index parcels_identified_idx on parcels (community_id, updated_at)
    where deidentified_at is null and status in ('picked_up', 'cancelled', 'returned', 'lost')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_identified_idx').execute();
  await sql`create index parcels_identified_idx on parcels (community_id, updated_at)
    where deidentified_at is null and status in ('picked_up', 'cancelled', 'returned')`.execute(db);
}
