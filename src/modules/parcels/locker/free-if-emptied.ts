/** Freeing a compartment whose parcels left by a staff action rather than through its door. */
import type { Executor } from '../../../db/database.ts';
import { findCompartment, freeCompartment } from '../../lockers/index.ts';
import * as parcels from '../core/parcel.repository.ts';

/**
 * A compartment whose last live parcel just left by a staff action (taken out for the hall,
 * handed over, recorded lost) is free again if its door is already shut with nothing sensed
 * inside (the close came first); otherwise the door hook frees it on close.
 */
export async function freeIfEmptied(
  db: Executor,
  lockerId: string,
  compartment: number,
  nowIso: string,
): Promise<void> {
  const c = await findCompartment(db, lockerId, compartment);
  if (!c || c.door !== 'closed' || c.use !== 'occupied' || c.occupied === 'yes') return;
  if ((await parcels.liveParcelsAt(db, lockerId, compartment)).length > 0) return;
  await freeCompartment(db, lockerId, compartment, 'occupied', nowIso);
}
