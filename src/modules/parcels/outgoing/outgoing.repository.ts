/** SQL for outgoing parcels: what waits in lockers for a carrier, without sender fields. */
import type { Executor } from '../../../db/database.ts';
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
  return db
    .selectFrom('parcels as p')
    .innerJoin('lockers as l', 'l.id', 'p.locker_id')
    .innerJoin('locker_sites as s', 's.id', 'l.site_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .select([
      'p.id',
      'p.locker_id',
      'l.name as locker_name',
      'c.name as compound',
      's.name as site',
      'p.compartment',
      'p.size',
      'p.stored_at',
    ])
    .where('p.kind', '=', 'outgoing')
    .where('p.status', '=', 'stored')
    .where('p.carrier_id', '=', carrierId)
    .orderBy('p.stored_at')
    .limit(limit)
    .execute();
}
