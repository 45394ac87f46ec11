/**
 * The SQL ingest needs to stay correct when several nodes consume one locker's messages
 * (MQTT 5 shared subscriptions deal them out across nodes): a per-locker row lock that
 * serialises their effects, and the door-fact condition that keeps a late response from
 * overwriting a newer door state.
 */
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { prepare } from '../../db/prepared.ts';
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

const openUnlessDoorFactSince = prepare<
  { lockerId: string; compartment: number; sinceIso: string; nowIso: string },
  never
>((db, p) =>
  db
    .updateTable('compartments')
    .set({ door: 'open', updated_at: p('nowIso') })
    .where('locker_id', '=', p('lockerId'))
    .where('number', '=', p('compartment'))
    .where((eb) => eb.or([eb('door_fact_at', 'is', null), eb('door_fact_at', '<', p('sinceIso'))])),
);

/**
 * Mark the compartment's door open, unless the device reported a door opening or closing
 * of it at or after `sinceIso` (device clock): then that fact, not this late answer, says
 * how the door is. The compartment keeps its last door fact's time (`door_fact_at`, written
 * with the fact), so this is one conditional update and no look-up.
 */
export async function openDoorUnlessFactSince(
  db: Executor,
  lockerId: string,
  compartment: number,
  sinceIso: string,
  nowIso: string,
): Promise<void> {
  await openUnlessDoorFactSince.run(db, { lockerId, compartment, sinceIso, nowIso });
}
