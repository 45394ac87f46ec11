/** The fold job: pending area increments into the area tables, a bounded chunk per transaction. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { foldPending } from './area.repository.ts';

/**
 * Pending rows folded per transaction. A fold holds the database (on SQLite, the node's one
 * connection and its event loop) while it runs. A pickup after an 8-hour stay appended ~40 rows
 * (about 11 since a pending row names the areas above its own, ADR 0029); in the parcel-cycle
 * benchmark at 12 cycles/s one whole fold took ≈ 10 ms (4 ms to delete and return its rows,
 * ≈ 5 ms of upserts), growing with the rate and with any backlog. Chunks of this size take a
 * few milliseconds each, with requests served between them. Smaller chunks merge fewer rows
 * per key and cost more per row, larger ones no less (250: 14 ms per 1,000 rows, 500: 10.5,
 * 1,000: 11.2, 2,000: 12.7, on SQLite in a lab of the benchmark's increments).
 */
export const FOLD_CHUNK = 500;

/** Fold what is pending (job `analytics.fold`); returns how many pending rows were folded. */
export async function foldAreas(db: Kysely<DB>, chunk = FOLD_CHUNK): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute((trx) => foldPending(trx, chunk));
    total += n;
    if (n < chunk) return total;
    await new Promise((r) => setImmediate(r));
  }
}
