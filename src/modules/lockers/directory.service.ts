/** The locker directory's use case: who asks decides the communities and the order (ADR 0038). */
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { type RecentDeposit, recentRanks } from './directory-order.ts';
import { type DirectoryRow, listDirectory } from './directory.repository.ts';
import type { DirectorySearch } from './directory-search.ts';
import { sitesOfLockers } from './site-place.repository.ts';

/** A courier's deposits this recent put a site at the top of their list. */
const RECENT_DAYS = 30;

/**
 * The lockers a depositor used since a time, with when they last did; parcels answers it
 * (buildApp hands it to the route), as lockers may not read parcels' tables nor import them.
 */
export type RecentDeposits = (
  db: Executor,
  depositorId: string,
  since: string,
) => Promise<RecentDeposit[]>;

/** Who is looking: a courier (every locker, their history first) or a resident (their communities). */
export type DirectoryViewer =
  | { kind: 'courier'; userId: string; communityIds: readonly string[] }
  | { kind: 'resident'; communityIds: readonly string[] };

/** A page of the directory for this viewer. */
export async function lockerDirectory(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  recentDeposits: RecentDeposits | undefined,
  viewer: DirectoryViewer,
  page: { search?: DirectorySearch; limit: number; offset: number },
): Promise<DirectoryRow[]> {
  if (viewer.kind === 'resident')
    return listDirectory(deps.db, { ...page, communityIds: viewer.communityIds });
  const since = iso(deps.clock.now() - RECENT_DAYS * 86_400_000);
  const recents = recentDeposits ? await recentDeposits(deps.db, viewer.userId, since) : [];
  const sites = await sitesOfLockers(
    deps.db,
    recents.map((r) => r.lockerId),
  );
  return listDirectory(deps.db, {
    ...page,
    order: { ...recentRanks(recents, sites), communityIds: viewer.communityIds },
  });
}
