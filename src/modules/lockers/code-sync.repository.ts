/**
 * The only SQL on a locker's offline-code versioning (ADR 0017, amended by issue 19): the
 * per-locker counter a sync's `revision` carries, and the contract version the locker
 * announced. A counter, not a clock: a revision is compared only with other revisions.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { prepare } from '../../db/prepared.ts';
import type { ContractVersion, LockerTable } from './locker.table.ts';
import { keptLocker, rememberLocker, wroteLocker } from './locker-rows.ts';

/** What a sync needs of its locker, read under the row lock the bump takes. */
export type SyncTarget = Pick<
  LockerTable,
  'id' | 'community_id' | 'secret_hash' | 'sync_revision' | 'contract_version'
>;

// Every deposit to a v2 locker runs it (its open carries the sealed code): compiled once.
const syncRevisionBump = prepare<{ lockerId: string; floorMs: number }, SyncTarget>((db, p) =>
  db
    .updateTable('lockers')
    .set({
      sync_revision: sql<number>`case when contract_version = 'v1' and sync_revision < ${p('floorMs')} then ${p('floorMs')} else sync_revision + 1 end`,
    })
    .where('id', '=', p('lockerId'))
    .returning(['id', 'community_id', 'secret_hash', 'sync_revision', 'contract_version']),
);

/**
 * Raise the locker's sync revision and return it with what a sync needs. A v2 locker's
 * revision is +1. A v1 agent (deployed before the counter) stores the revision it last
 * applied and refuses a lower one, and older clouds sent their clock in ms: for v1 the
 * counter stays at or above `floorMs`, the cloud's clock, so a v1 locker keeps accepting
 * syncs. The UPDATE takes the row lock, so two nodes building syncs for one locker get
 * distinct revisions in the order their transactions commit.
 */
export async function bumpSyncRevision(
  db: Executor,
  lockerId: string,
  floorMs: number,
): Promise<SyncTarget | undefined> {
  const kept = keptLocker(db, lockerId);
  const r = await syncRevisionBump.first(db, { lockerId, floorMs });
  // The kept row stays kept with the new revision: the deposit's next fact then moves
  // last_seq without reading the row back (locker.repository.ts: takeNextSeq).
  if (kept && r) rememberLocker(db, { ...kept, sync_revision: r.sync_revision });
  else wroteLocker(db, lockerId);
  return r;
}

/**
 * A locker reports a revision above ours (it applied syncs built from the clock before
 * the counter existed, or the database was restored from a backup): continue from its
 * value, so our next sync is not refused as stale. Returns whether anything changed.
 */
export async function adoptSyncRevision(
  db: Executor,
  lockerId: string,
  reported: number,
): Promise<boolean> {
  const r = await db
    .updateTable('lockers')
    .set({ sync_revision: reported })
    .where('id', '=', lockerId)
    .where('sync_revision', '<', reported)
    .executeTakeFirst();
  wroteLocker(db, lockerId);
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Whether a command that moves the locker's code set (a sync, or an open that may carry a
 * code) is still on its way: a heartbeat behind our revision is then not yet a mismatch.
 */
export async function codeCommandInFlight(
  db: Executor,
  lockerId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('locker_commands')
    .select('id')
    .where('locker_id', '=', lockerId)
    .where('type', 'in', ['sync', 'open'])
    .where('status', 'in', ['pending', 'sent'])
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return r !== undefined;
}

/** Record the contract version a locker announced; writes only when it changed. */
export async function setContractVersion(
  db: Executor,
  lockerId: string,
  version: ContractVersion,
): Promise<boolean> {
  const r = await db
    .updateTable('lockers')
    .set({ contract_version: version })
    .where('id', '=', lockerId)
    .where('contract_version', '<>', version)
    .executeTakeFirst();
  wroteLocker(db, lockerId);
  return Number(r.numUpdatedRows) > 0;
}
