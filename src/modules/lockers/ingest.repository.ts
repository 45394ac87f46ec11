/**
 * The SQL ingest needs to stay correct when several nodes consume one locker's messages
 * (MQTT 5 shared subscriptions deal them out across nodes): a per-locker row lock that
 * serialises their effects, and the door-fact condition that keeps a late response from
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

/**
 * Mark the compartment's door open, unless the device reported a door opening or closing
 * of it at or after `sinceIso` (device clock): then that fact, not this late answer, says
 * how the door is. One conditional update instead of a look-up and an update.
 */
export async function openDoorUnlessFactSince(
  db: Executor,
  lockerId: string,
  compartment: number,
  sinceIso: string,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('compartments')
    .set({ door: 'open', updated_at: nowIso })
    .where('locker_id', '=', lockerId)
    .where('number', '=', compartment)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('locker_events')
            .select('seq')
            .where('locker_id', '=', lockerId)
            .where('compartment', '=', compartment)
            .where('type', 'in', ['door_opened', 'door_closed', 'uncommanded_open'])
            .where('occurred_at', '>=', sinceIso),
        ),
      ),
    )
    .execute();
}
