/**
 * The only SQL on job leases. A node claims a due job with one conditional UPDATE:
 * whichever node's update matches first wins, on SQLite and PostgreSQL alike (under READ
 * COMMITTED the losers re-check the row after the winner commits and match nothing).
 */
import type { Executor } from '../../db/database.ts';
import type { JobLeaseTable } from './job.table.ts';

export type JobLeaseRow = JobLeaseTable;

const EPOCH = new Date(0).toISOString();

/** Create the job's row if it is missing (due at once); harmless when another node did it first. */
export async function ensureJob(db: Executor, name: string): Promise<void> {
  await db
    .insertInto('job_leases')
    .values({
      name,
      holder: null,
      lease_until: null,
      next_run_at: EPOCH,
      runs: 0,
      last_started_at: null,
      last_finished_at: null,
      last_error: null,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Claim one run of a job if it is due and no run is in progress (or the last one's lease
 * ran out: its node died). Sets the next due time at claim, so a run that crashes is not
 * retried before the next period. True when this node won the run.
 */
export async function claimJob(
  db: Executor,
  name: string,
  holder: string,
  nowIso: string,
  nextRunIso: string,
  leaseUntilIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('job_leases')
    .set((eb) => ({
      holder,
      lease_until: leaseUntilIso,
      next_run_at: nextRunIso,
      last_started_at: nowIso,
      runs: eb('runs', '+', 1),
    }))
    .where('name', '=', name)
    .where('next_run_at', '<=', nowIso)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowIso)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** When a job is next due (ISO), or undefined when it has no row. */
export async function jobNextRunAt(db: Executor, name: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('job_leases')
    .select('next_run_at')
    .where('name', '=', name)
    .executeTakeFirst();
  return r?.next_run_at;
}

/** End this node's run: the lease is released (only if still ours) and the outcome kept. */
export async function finishJob(
  db: Executor,
  name: string,
  holder: string,
  nowIso: string,
  error: string | null,
): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({ lease_until: null, last_finished_at: nowIso, last_error: error })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .execute();
}

/** Every job's row, by name (operations, tests). */
export async function listJobs(db: Executor): Promise<JobLeaseRow[]> {
  return db.selectFrom('job_leases').selectAll().orderBy('name').execute();
}
