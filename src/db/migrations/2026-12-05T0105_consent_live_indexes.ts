import type { Kysely } from 'kysely';

/**
 * The live stream (ADR 0015) tells a courier the moment their consent request is answered
 * and a recipient the moment one arrives: it polls consent requests created or decided
 * since a moment, twice a second while someone listens. Consent rows are kept as the
 * record the regulation asks for, so without these indexes each poll would read them all.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('consent_requests_created_idx').on('consent_requests').column('created_at').execute();
  await db.schema.createIndex('consent_requests_decided_idx').on('consent_requests').column('decided_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('consent_requests_decided_idx').execute();
  await db.schema.dropIndex('consent_requests_created_idx').execute();
}
