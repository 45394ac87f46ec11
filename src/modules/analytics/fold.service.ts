/** The fold job: pending area increments into the area tables, in one transaction per run. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { foldPending } from './area.repository.ts';

/** Fold what is pending (job `analytics.fold`); returns how many pending rows were folded. */
export async function foldAreas(db: Kysely<DB>): Promise<number> {
  return db.transaction().execute((trx) => foldPending(trx));
}
