/**
 * Retention (issue 4, item 9): once a parcel has been finished (picked up, cancelled or
 * returned) for its community's retention period, its personal data (and its family
 * shares' phones) is blanked. Its
 * events stay: they hold no personal data.
 */
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { policyFor } from '../overdue/overdue.policy.ts';
import * as retentionRepo from './retention.repository.ts';
import { endSharesOf } from '../sharing/share.repository.ts';

const BATCH = 500;

/** De-identify finished parcels past their community's retention period; returns how many (call periodically). */
export async function sweepRetention(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  let total = 0;
  for (const communityId of await retentionRepo.communitiesWithFinishedPersonalData(deps.db)) {
    const { retentionDays } = await policyFor(deps.db, communityId);
    const cutoff = iso(now - retentionDays * 86_400_000);
    for (;;) {
      const ids = await retentionRepo.finishedBefore(deps.db, communityId, cutoff, BATCH);
      if (ids.length === 0) break;
      await deps.db.transaction().execute(async (trx) => {
        await retentionRepo.deidentifyParcels(trx, ids, iso(now));
        await endSharesOf(trx, ids, iso(now));
      });
      total += ids.length;
      if (ids.length < BATCH) break;
    }
  }
  return total;
}
