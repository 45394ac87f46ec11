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
export async function listEvents(db: Executor, lockerId: string, afterSeq: number, limit: number): Promise<EventRow[]> {
  return db.selectFrom('locker_events').selectAll().where('locker_id', '=', lockerId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** The highest seq stored and how many are stored, to spot gaps. */
export async function seqStats(db: Executor, lockerId: string): Promise<{ max: number; count: number }> {
  const r = await db
    .selectFrom('locker_events')
    .select((eb) => [eb.fn.max<number>('seq').as('max'), eb.fn.countAll<number>().as('count')])
    .where('locker_id', '=', lockerId)
    .executeTakeFirstOrThrow();
  return { max: Number(r.max ?? 0), count: Number(r.count) };
}

/** How many facts with seq ≤ n are stored (n means none missing up to n). */
export async function countUpTo(db: Executor, lockerId: string, n: number): Promise<number> {
  const r = await db.selectFrom('locker_events').select((eb) => eb.fn.countAll<number>().as('n')).where('locker_id', '=', lockerId).where('seq', '<=', n).executeTakeFirstOrThrow();
  return Number(r.n);
}
