/**
 * Reservations: a compartment held for a deposit whose door has not yet closed on
 * something. One that runs out is cancelled and its compartment handed back to lockers.
 */
import type { Executor } from '../../../db/database.ts';
import * as lockers from '../../lockers/index.ts';
import { freeCompartment, occupyCompartment } from '../../lockers/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';

/** Give a reservation up: the parcel is cancelled and the compartment freed once its door is shut. */
export async function cancelReservation(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  p: parcels.ParcelRow,
  why: string,
): Promise<void> {
  const nowIso = iso(ctx.clock.now());
  // Its code went to the locker with the open (contract v2): the locker's set moves on, and
  // its next heartbeat, behind by one, brings a full sync without it. First, so the locker
  // row is locked before the parcel's, as ingest does.
  if (p.code_cipher && p.status === 'reserved')
    await lockers.bumpSyncRevision(db, p.locker_id, ctx.clock.now());
  if (
    !(await parcels.transition(db, p.id, 'reserved', {
      status: 'cancelled',
      reserved_until: null,
      updated_at: nowIso,
    }))
  )
    return;
  const c = await lockers.findCompartment(db, p.locker_id, p.compartment);
  // Others in its group keep the compartment: still reserved while one of them is, occupied once all are stored.
  const others = await parcels.liveParcelsAt(db, p.locker_id, p.compartment);
  if (c && c.use === 'reserved' && !others.some((o) => o.status === 'reserved')) {
    if (others.length > 0) await occupyCompartment(db, p.locker_id, p.compartment, nowIso);
    else if (c.door !== 'open')
      await freeCompartment(db, p.locker_id, p.compartment, 'reserved', nowIso);
  }
  await recordParcelEvent(db, ctx, p, {
    type: 'reservation_cancelled',
    actorId: null,
    source: 'system',
    detail: { why },
  });
}

/** Cancel reservations whose time ran out. */
export async function sweepReservations(deps: AppDeps): Promise<number> {
  const due = await parcels.expiredReservations(deps.db, iso(deps.clock.now()));
  for (const p of due)
    await deps.db
      .transaction()
      .execute((trx) => cancelReservation(trx, deps, p, 'reservation_expired'));
  return due.length;
}
