import { type Kysely, sql } from 'kysely';

/**
 * The sweeps (reservations every 10 s, overdue and takeout every minute, retention every
 * hour) and a carrier's outgoing list look for live parcels by status and a deadline. No index led with the
 * status, so each sweep read every parcel ever handled: with 10 million finished parcels
 * that was ~800 ms per sweep with the single SQLite connection held — the p99 of every
 * step in the history benchmark. Partial indexes over the live rows only stay small
 * whatever the history, and cost nothing for finished parcels.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index parcels_reserved_until_idx on parcels (reserved_until) where status = 'reserved'`.execute(
    db,
  );
  await sql`create index parcels_stored_free_until_idx on parcels (free_until) where status = 'stored'`.execute(
    db,
  );
  await sql`create index parcels_stored_carrier_idx on parcels (carrier_id, kind) where status = 'stored'`.execute(
    db,
  );
  // Retention (hourly): parcels still holding personal data — the live ones and the last 30 days' finished ones.
  await sql`create index parcels_identified_idx on parcels (community_id, updated_at) where deidentified_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'parcels_reserved_until_idx',
    'parcels_stored_free_until_idx',
    'parcels_stored_carrier_idx',
    'parcels_identified_idx',
  ])
    await sql.raw(`drop index ${name}`).execute(db);
}
