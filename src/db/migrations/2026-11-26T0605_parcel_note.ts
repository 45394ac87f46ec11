import type { Kysely } from 'kysely';

/** A short note a resident leaves with a neighbour deposit (sent in the neighbour's SMS; blanked by retention). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('parcels').addColumn('note', 'text').execute();
}
