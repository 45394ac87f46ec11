/**
 * Pruning the UV record (ADR 0019, amended): finished cycles are kept for UV_CYCLE_KEEP_DAYS,
 * long past any parcel's "disinfected at" (parcels are de-identified after their community's
 * retention period, 30 days by default) and the staff console's recent cycles. Each
 * compartment's last cycle stays whatever its age (the locker page shows it); a cycle still
 * running stays until it ends. Analytics keep no UV figures of their own from these rows.
 */
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import * as uv from './uv.repository.ts';

/** How long a finished cycle is kept, in days. */
export const UV_CYCLE_KEEP_DAYS = 180;

const BATCH = 1000;

/** Delete finished cycles older than `keepDays` (but each compartment's last); returns how many (call periodically). */
export async function pruneUvCycles(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  keepDays = UV_CYCLE_KEEP_DAYS,
): Promise<number> {
  const cutoff = iso(deps.clock.now() - keepDays * 86_400_000);
  let total = 0;
  for (;;) {
    const keys = await uv.prunableCycles(deps.db, cutoff, BATCH);
    total += await uv.deleteCycles(deps.db, keys);
    if (keys.length < BATCH) return total;
  }
}
