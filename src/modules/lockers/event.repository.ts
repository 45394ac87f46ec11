/** The only SQL on the device event log. */
import type { Executor } from '../../db/database.ts';
import { prepare } from '../../db/prepared.ts';
import type { LockerEventTable } from './locker.table.ts';

export type EventRow = LockerEventTable;

// Every fact runs it: compiled once (db/prepared.ts).
const insertOnce = prepare<EventRow, never>((db, p) =>
  db
    .insertInto('locker_events')
    .values({
      locker_id: p('locker_id'),
      seq: p('seq'),
      community_id: p('community_id'),
      type: p('type'),
      compartment: p('compartment'),
      message_id: p('message_id'),
      payload: p('payload'),
      occurred_at: p('occurred_at'),
      received_at: p('received_at'),
    })
    .onConflict((oc) => oc.columns(['locker_id', 'seq']).doNothing()),
);

/** Store a fact once per (locker, seq); false when it was already stored (a redelivery or replay). */
export async function insertEventOnce(db: Executor, row: EventRow): Promise<boolean> {
  return (await insertOnce.changed(db, row)) === 1;
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

/** Every stored fact after (lockerId, seq), in that order, a page at a time (rollup rebuilds). */
export async function lockerFactsPage(
  db: Executor,
  after: { lockerId: string; seq: number },
  limit: number,
): Promise<EventRow[]> {
  return db
    .selectFrom('locker_events')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('locker_id', '>', after.lockerId),
        eb.and([eb('locker_id', '=', after.lockerId), eb('seq', '>', after.seq)]),
      ]),
    )
    .orderBy('locker_id')
    .orderBy('seq')
    .limit(limit)
    .execute();
}
