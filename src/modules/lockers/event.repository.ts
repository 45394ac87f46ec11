/** The only SQL on the device event log. */
import type { Executor } from '../../db/database.ts';
import type { LockerEventTable } from './locker.table.ts';

export type EventRow = LockerEventTable;

/** Store a fact once per (locker, seq); false when it was already stored (a redelivery or replay). */
export async function insertEventOnce(db: Executor, row: EventRow): Promise<boolean> {
  const r = await db
    .insertInto('locker_events')
    .values(row)
    .onConflict((oc) => oc.columns(['locker_id', 'seq']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Events of a locker after a seq, in order. */
export async function listEvents(
  db: Executor,
  lockerId: string,
  afterSeq: number,
  limit: number,
): Promise<EventRow[]> {
  return db
    .selectFrom('locker_events')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
