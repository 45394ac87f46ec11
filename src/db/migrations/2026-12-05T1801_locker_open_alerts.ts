import { type Kysely, sql } from 'kysely';

/**
 * Issue 19: how many unresolved alerts a locker has (`open_alerts`), kept beside the
 * alerts so ingest can skip the "condition cleared" resolves of a locker that has none
 * (four statements that found nothing in every parcel cycle). Counted from the alerts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('lockers')
    .addColumn('open_alerts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update lockers set open_alerts = (select count(*) from locker_alerts a where a.locker_id = lockers.id and a.status <> 'resolved')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lockers').dropColumn('open_alerts').execute();
}
