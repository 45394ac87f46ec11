/**
 * Returning overdue deliveries (overdue policy 'return_to_courier'): the carrier's
 * couriers see which of their parcels to take back and open those compartments with
 * their account; the door opening settles the parcel as returned (parcel.hooks.ts) and
 * the recipient is told.
 */
import { lockerPlaces, type CommandRow } from '../../lockers/index.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import * as overdue from './overdue.repository.ts';
import { openForCarrier } from '../pickup/collect.service.ts';

/** Overdue deliveries waiting in lockers for a carrier to take back. */
export async function listReturns(deps: AppDeps, carrierId: string, limit = 200) {
  const rows = await overdue.returnsForCarrier(deps.db, carrierId, limit);
  const places = await lockerPlaces(deps.db, [...new Set(rows.map((r) => r.locker_id))]);
  return rows.map((r) => ({
    parcelId: r.id,
    lockerId: r.locker_id,
    lockerName: places.get(r.locker_id)?.locker ?? '',
    address: `${places.get(r.locker_id)?.compound ?? ''}${places.get(r.locker_id)?.site ?? ''}`,
    compartment: r.compartment,
    size: r.size,
    waybill: r.waybill,
    storedAt: r.stored_at,
    overdueAt: r.overdue_at,
  }));
}

/** A courier of the parcel's carrier opens its compartment to take an overdue parcel back. */
export async function collectReturn(
  deps: AppDeps,
  courier: { userId: string; carrierId: string },
  parcelId: string,
): Promise<CommandRow> {
  return openForCarrier(deps, courier, parcelId, {
    reason: 'return to carrier',
    event: 'return_requested',
    mayTake: async (db, p) => {
      const taken = await overdue.findOverdue(db, p.id);
      return taken?.action === 'return_to_courier' && taken.carrier_id === courier.carrierId;
    },
    what: 'A parcel of yours to take back',
  });
}
