/** SQL for outgoing parcels: what waits in lockers for a carrier, without sender fields. */
import type { Executor } from '../../../db/database.ts';
import { lockerPlaces } from '../../lockers/index.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';

export interface OutgoingRow {
  id: string;
  locker_id: string;
  locker_name: string;
  compound: string;
  site: string;
  compartment: number;
  size: ParcelRow['size'];
  stored_at: string | null;
}

/** Outgoing parcels waiting in lockers for a carrier, oldest first; no sender fields are selected. */
export async function outgoingForCarrier(
  db: Executor,
  carrierId: string,
  limit: number,
): Promise<OutgoingRow[]> {
  const rows = await db
    .selectFrom('parcels as p')
    .select(['p.id', 'p.locker_id', 'p.compartment', 'p.size', 'p.stored_at'])
    .where('p.kind', '=', 'outgoing')
    .where('p.status', '=', 'stored')
    .where('p.carrier_id', '=', carrierId)
    // A parcel whose paid sending order the carrier rejected waits for its sender, not the
    // courier (collectOutgoing refuses it): leave it off the list of what to collect.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sending_orders as o')
            .select('o.id')
            .whereRef('o.parcel_id', '=', 'p.id')
            .where('o.status', '=', 'refunded'),
        ),
      ),
    )
    .orderBy('p.stored_at')
    .limit(limit)
    .execute();
  // Locker and place names come from lockers (a module's SQL touches only its own tables).
  const places = await lockerPlaces(
    db,
    rows.map((r) => r.locker_id),
  );
  return rows.flatMap((r) => {
    const l = places.get(r.locker_id);
    return l
      ? [
          {
            id: r.id,
            locker_id: r.locker_id,
            locker_name: l.locker,
            compound: l.compound,
            site: l.site,
            compartment: r.compartment,
            size: r.size,
            stored_at: r.stored_at,
          },
        ]
      : [];
  });
}
