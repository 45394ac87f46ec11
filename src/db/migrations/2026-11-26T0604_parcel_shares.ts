import { type Kysely, sql } from 'kysely';
import { timestampType } from '../dialect.ts';

/** Family shares of a pickup, and parcels that travel together in one compartment. */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('parcel_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parcel_id', 'text', (c) => c.notNull().references('parcels.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('phone_cipher', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema
    .createIndex('parcel_shares_parcel_idx')
    .on('parcel_shares')
    .columns(['parcel_id'])
    .execute();
  await db.schema
    .createIndex('parcel_shares_phone_idx')
    .on('parcel_shares')
    .columns(['phone_hash', 'revoked_at'])
    .execute();

  // A parcel deposited into a compartment that already holds one for the same recipient points at it.
  await db.schema.alterTable('parcels').addColumn('together_with', 'text').execute();
  // The one-live-parcel-per-compartment and one-code-per-locker guarantees now hold for the
  // lead of each group; a parcel joining it shares its compartment and code by design.
  await sql`drop index parcels_live_code_unique`.execute(db);
  await sql`drop index parcels_live_compartment_unique`.execute(db);
  await sql`create unique index parcels_live_code_unique on parcels (locker_id, code_hash) where status in ('reserved', 'stored') and code_hash is not null and together_with is null`.execute(
    db,
  );
  await sql`create unique index parcels_live_compartment_unique on parcels (locker_id, compartment) where status in ('reserved', 'stored') and together_with is null`.execute(
    db,
  );
}
