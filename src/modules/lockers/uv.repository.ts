/** The only SQL on UV cycles and policies. */
import type { Executor } from '../../db/database.ts';
import { prepareByColumns } from '../../db/prepared.ts';
import type { UvCycleTable, UvPolicyTable } from './uv.table.ts';

export type UvCycleRow = UvCycleTable;
export type UvPolicyRow = UvPolicyTable;

/** Record a cycle once (a replayed fact finds its row already there). */
export async function insertCycle(db: Executor, row: UvCycleRow): Promise<void> {
  await cycleInsert.for(row).run(db, { ...row });
}

// Two a parcel cycle (the lamp after each use): compiled once per set of columns (db/prepared.ts).
const cycleInsert = prepareByColumns<Record<string, unknown>, never>((db, p, values) =>
  db
    .insertInto('uv_cycles')
    .values(values as unknown as UvCycleRow)
    .onConflict((oc) => oc.columns(['locker_id', 'seq']).doNothing()),
);

/** End the compartment's last cycle (compartments.last_uv_seq) if it is still running; true when one was. */
export async function endLastCycleIfRunning(
  db: Executor,
  lockerId: string,
  compartment: number,
  end: Pick<UvCycleRow, 'outcome' | 'reason' | 'ran_seconds' | 'ended_at'>,
): Promise<boolean> {
  const params = { ...end, '@lockerId': lockerId, '@compartment': compartment };
  return (await lastCycleEnd.for(end).changed(db, params)) > 0;
}

const lastCycleEnd = prepareByColumns<Record<string, unknown>, never>((db, p, values) =>
  db
    .updateTable('uv_cycles')
    .set(values)
    .where('locker_id', '=', p('@lockerId') as string)
    .where('seq', '=', (eb) =>
      eb
        .selectFrom('compartments')
        .select('last_uv_seq')
        .where('locker_id', '=', p('@lockerId') as string)
        .where('number', '=', p('@compartment') as number),
    )
    .where('outcome', '=', 'running'),
);

/** The cycles of some compartments by their seq (each compartment's last one, for the console). */
export async function cyclesBySeq(
  db: Executor,
  lockerId: string,
  seqs: number[],
): Promise<UvCycleRow[]> {
  if (seqs.length === 0) return [];
  return db
    .selectFrom('uv_cycles')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('seq', 'in', seqs)
    .execute();
}

/** A compartment's recent cycles, newest first. */
export async function recentCycles(
  db: Executor,
  lockerId: string,
  compartment: number,
  limit: number,
): Promise<UvCycleRow[]> {
  return db
    .selectFrom('uv_cycles')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('compartment', '=', compartment)
    .orderBy('recorded_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The completed cycle of a compartment recorded in [from, to) (cloud clock): the first
 * one when `first`, else the last one. Uses uv_cycles_compartment_idx either way.
 */
export async function completedCycleBetween(
  db: Executor,
  lockerId: string,
  compartment: number,
  from: string,
  to: string | null,
  first: boolean,
): Promise<UvCycleRow | undefined> {
  let q = db
    .selectFrom('uv_cycles')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('compartment', '=', compartment)
    .where('recorded_at', '>=', from)
    .where('outcome', '=', 'completed');
  if (to !== null) q = q.where('recorded_at', '<', to);
  const dir = first ? 'asc' : 'desc';
  return q.orderBy('recorded_at', dir).orderBy('seq', dir).limit(1).executeTakeFirst();
}

/**
 * Keys of finished cycles recorded before the cutoff, except each compartment's last one
 * (compartments.last_uv_seq: the locker page shows it), at most `limit`.
 */
export async function prunableCycles(
  db: Executor,
  cutoffIso: string,
  limit: number,
): Promise<{ locker_id: string; seq: number }[]> {
  return db
    .selectFrom('uv_cycles as u')
    .select(['u.locker_id', 'u.seq'])
    .where('u.recorded_at', '<', cutoffIso)
    .where('u.outcome', '<>', 'running')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('compartments as c')
            .select('c.number')
            .whereRef('c.locker_id', '=', 'u.locker_id')
            .whereRef('c.last_uv_seq', '=', 'u.seq'),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

/** Delete these cycles. */
export async function deleteCycles(
  db: Executor,
  keys: readonly { locker_id: string; seq: number }[],
): Promise<number> {
  if (keys.length === 0) return 0;
  const r = await db
    .deleteFrom('uv_cycles')
    .where((eb) =>
      eb.or(
        keys.map((k) => eb.and([eb('locker_id', '=', k.locker_id), eb('seq', '=', Number(k.seq))])),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** A community's policy row, if one was set. */
export async function findPolicy(
  db: Executor,
  communityId: string,
): Promise<UvPolicyRow | undefined> {
  return db
    .selectFrom('uv_policies')
    .selectAll()
    .where('community_id', '=', communityId)
    .executeTakeFirst();
}

/** Insert or replace a community's policy. */
export async function savePolicy(db: Executor, row: UvPolicyRow): Promise<void> {
  await db
    .insertInto('uv_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('community_id').doUpdateSet({
        after_use: row.after_use,
        cycle_seconds: row.cycle_seconds,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

/** Active lockers of a community (the policy goes to each). */
export async function activeLockerIds(db: Executor, communityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('lockers')
    .select('id')
    .where('community_id', '=', communityId)
    .where('status', '<>', 'retired')
    .execute();
  return rows.map((r) => r.id);
}
