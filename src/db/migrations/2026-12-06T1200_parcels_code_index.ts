import { sql, type Kysely } from 'kysely';

/**
 * Issue 19: a code typed at a locker found its parcel by walking every stored parcel of the
 * locker (parcels_locker_status_idx has no code_hash), ≈ 160 µs of the cycle at the benchmark's
 * fill and more the fuller the locker. Parcels keep their code hash only while it matters (it
 * is cleared on de-identification), so the index stays small.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index parcels_code_idx on parcels (locker_id, code_hash) where code_hash is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_code_idx').execute();
}
