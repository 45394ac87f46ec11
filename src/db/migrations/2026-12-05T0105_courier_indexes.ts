import type { Kysely } from 'kysely';

/**
 * Two reads the courier app now makes all the time:
 * - the live stream (ADR 0015) tells a courier the moment their consent request is
 *   answered and a recipient the moment one arrives, polling consent requests created or
 *   decided since a moment twice a second while someone listens (consent rows are kept as
 *   the record the regulation asks for, so unindexed each poll would read them all);
 * - the locker directory puts the sites a courier used recently first, and 今日投递 lists
 *   a courier's deposits since midnight: both by depositor and time, which no index led with.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('consent_requests_created_idx')
    .on('consent_requests')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('consent_requests_decided_idx')
    .on('consent_requests')
    .column('decided_at')
    .execute();
  await db.schema
    .createIndex('parcels_depositor_idx')
    .on('parcels')
    .columns(['depositor_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_depositor_idx').execute();
  await db.schema.dropIndex('consent_requests_decided_idx').execute();
  await db.schema.dropIndex('consent_requests_created_idx').execute();
}
