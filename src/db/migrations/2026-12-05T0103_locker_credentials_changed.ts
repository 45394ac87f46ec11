import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * When a locker's MQTT credentials last changed (a rotation redeemed, a retirement). Every
 * node with an embedded broker reads the lockers changed in the last seconds, so a secret
 * rotated or retired through another node stops logging in and its live session is dropped
 * there too (issue 13, finding 8). The index keeps that once-a-second read to the few rows changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('lockers')
    .addColumn('credentials_changed_at', timestampType(db))
    .execute();
  await db.schema
    .createIndex('lockers_credentials_changed_idx')
    .on('lockers')
    .column('credentials_changed_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('lockers_credentials_changed_idx').execute();
  await db.schema.alterTable('lockers').dropColumn('credentials_changed_at').execute();
}
