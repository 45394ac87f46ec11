/**
 * A UV cycle that completed is a step in the life of the parcels it served (ADR 0019):
 * the ones waiting in the compartment (the lamp ran over them), or else the one whose
 * pickup the cycle followed. The `disinfected` event tells the recipient's app live, so
 * the card turns to 已消毒 without a refresh; the time shown comes from lockers' cycle
 * record (disinfectedFor).
 */
import type { LockerFact } from '../../../contract/index.ts';
import type { Executor } from '../../../db/database.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import type { CompartmentRow, LockerRow } from '../../lockers/index.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';

/** How long before a cycle's start a pickup still counts as the use it followed (a door may stay open a while). */
const PICKUP_SLACK_MS = 10 * 60_000;

/** Record `disinfected` on the parcels a completed cycle served; runs in the ingest transaction. */
export async function markDisinfected(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  locker: LockerRow,
  f: Extract<LockerFact, { type: 'uv_done' }>,
  /** The compartment as the fact left it, when lockers passed it on. */
  compartment?: CompartmentRow,
): Promise<void> {
  if (f.result !== 'completed') return;
  // A free compartment holds no live parcel (a reservation or a store takes it first), so the
  // usual after-pickup cycle needs no search for waiting parcels.
  const free = compartment?.number === f.compartment && compartment.use === 'free';
  const waiting = free
    ? []
    : (await parcels.liveParcelsAt(db, locker.id, f.compartment)).filter(
        (p) => p.status === 'stored',
      );
  const since = iso(deps.clock.now() - f.ranSeconds * 1000 - PICKUP_SLACK_MS);
  const served =
    waiting.length > 0
      ? waiting
      : [await parcels.lastPickedUpFrom(db, locker.id, f.compartment, since)].filter(
          (p) => p !== undefined,
        );
  for (const p of served) {
    await recordParcelEvent(db, deps, p, {
      type: 'disinfected',
      actorId: null,
      source: 'device',
      detail: {
        lockerId: locker.id,
        compartment: f.compartment,
        seq: f.seq,
        ranSeconds: f.ranSeconds,
      },
    });
  }
}
