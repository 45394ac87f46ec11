/** Appending to a parcel's history: who did what, when, from which device. */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { insertParcelEvent, type ParcelRow } from './parcel.repository.ts';

/** Record one step of a parcel's life inside the caller's transaction. Detail must hold no personal data. */
export async function recordParcelEvent(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  parcel: Pick<ParcelRow, 'id' | 'community_id'>,
  e: {
    type: string;
    actorId: string | null;
    source: 'api' | 'device' | 'system';
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await insertParcelEvent(db, {
    id: newId(ctx.clock, ctx.random),
    parcel_id: parcel.id,
    community_id: parcel.community_id,
    type: e.type,
    actor_id: e.actorId,
    source: e.source,
    detail: JSON.stringify(e.detail ?? {}),
    at: iso(ctx.clock.now()),
  });
}
