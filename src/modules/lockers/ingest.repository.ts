/**
 * The SQL ingest needs to stay correct when several nodes consume one locker's messages
 * (MQTT 5 shared subscriptions deal them out across nodes): a per-locker row lock that
 * serialises their effects, and the door-fact lookup that keeps a late response from
 * overwriting a newer door state.
 */
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { LockerRow } from './locker.repository.ts';

/**
 * Read the locker inside the caller's transaction and, on PostgreSQL, hold its row lock
 * until commit: another node's ingest for the same locker waits here, so one locker's
 * messages apply one at a time cluster-wide. SQLite has one writer anyway.
 */
export async function lockLocker(trx: Executor, lockerId: string): Promise<LockerRow | undefined> {
  let q = trx.selectFrom('lockers').selectAll().where('id', '=', lockerId);
  if (isPostgres(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Whether the device reported a door opening or closing of this compartment at or after an instant (device clock). */
export async function doorFactSince(
  db: Executor,
  lockerId: string,
  compartment: number,
  sinceIso: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('locker_events')
    .select('seq')
    .where('locker_id', '=', lockerId)
    .where('compartment', '=', compartment)
    .where('type', 'in', ['door_opened', 'door_closed', 'uncommanded_open'])
    .where('occurred_at', '>=', sinceIso)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
