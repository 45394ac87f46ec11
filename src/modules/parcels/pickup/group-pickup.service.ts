/** Parcels that shared a compartment and code leave together: settling one settles its group. */
import type { Executor } from '../../../db/database.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';

/** Parcels that shared the compartment and code of one just picked up leave with it. */
export async function settleGroup(
  db: Executor,
  deps: AppDeps,
  p: parcels.ParcelRow,
  patch: Partial<Omit<parcels.ParcelRow, 'status'>> & { status?: 'picked_up' | 'returned' },
  detail: Record<string, unknown>,
): Promise<void> {
  const nowIso = iso(deps.clock.now());
  for (const mate of await parcels.groupMates(db, p)) {
    if (
      await parcels.transition(db, mate.id, 'stored', {
        status: 'picked_up',
        ...patch,
        updated_at: nowIso,
      })
    ) {
      await recordParcelEvent(db, deps, mate, {
        type: patch.status ?? 'picked_up',
        actorId: null,
        source: 'device',
        detail: { ...detail, together: true },
      });
    }
  }
}
