import type { Kysely } from 'kysely';

/**
 * Issue 19, ADR 0017 (amended): a locker's offline-code set is versioned by a counter the
 * cloud keeps per locker (`sync_revision`), never by a clock; and the contract version the
 * locker announced (`contract_version`: v1 for every deployed locker until it says v2).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('lockers')
    .addColumn('sync_revision', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('lockers')
    .addColumn('contract_version', 'text', (c) => c.notNull().defaultTo('v1'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lockers').dropColumn('contract_version').execute();
  await db.schema.alterTable('lockers').dropColumn('sync_revision').execute();
}
