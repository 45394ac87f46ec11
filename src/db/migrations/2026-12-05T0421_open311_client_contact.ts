import type { Kysely } from 'kysely';

/**
 * Open311 clients name a contact (the person or office at the client who holds the key),
 * so the console can say whom to call before revoking or re-issuing (issue 16 item 6).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('open311_clients').addColumn('contact', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('open311_clients').dropColumn('contact').execute();
}
