import type { Kysely } from 'kysely';

/**
 * Staff find a parcel by the recipient's 手机尾号 (last four digits), as at every Chinese
 * parcel counter. The tail is what the masked phone (138****1234) already shows staff, so it
 * is kept in clear; the index serves the search within a community. Rows stored before
 * this column are filled in at start-up (parcels/phone-tail.ts), which holds the key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('parcels').addColumn('recipient_phone_tail', 'text').execute();
  await db.schema
    .createIndex('parcels_community_phone_tail')
    .on('parcels')
    .columns(['community_id', 'recipient_phone_tail'])
    .execute();
}
