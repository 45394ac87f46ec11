/** SQL for takeout dwell, neighbour deposits and outgoing parcels (kept apart from parcel.repository.ts). */
import type { Executor } from '../../db/database.ts';
import type { ParcelEventType } from './parcel.events.ts';
import type { ParcelRow } from './parcel.repository.ts';

/** Parcel event types that mark a one-time takeout step as done. */
export const TAKEOUT_REMINDED = 'takeout_reminder_queued' satisfies ParcelEventType;
export const TAKEOUT_OVERDUE = 'takeout_overdue_alerted' satisfies ParcelEventType;

/** Stored takeout whose free time ends in (fromIso, toIso] and that has no `marker` event yet. */
export async function storedTakeoutDue(
  db: Executor,
  fromIso: string,
  toIso: string,
  marker: ParcelEventType,
  limit = 200,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels as p')
    .selectAll('p')
    .where('p.kind', '=', 'takeout')
    .where('p.status', '=', 'stored')
    .where('p.free_until', '>', fromIso)
    .where('p.free_until', '<=', toIso)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('parcel_events as e')
            .select('e.id')
            .whereRef('e.parcel_id', '=', 'p.id')
            .where('e.type', '=', marker),
        ),
      ),
    )
    .orderBy('p.free_until')
    .limit(limit)
    .execute();
}

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
