/** SQL for takeout dwell: stored takeout nearing or past its free time, and its one-time step markers. */
import type { Executor } from '../../../db/database.ts';
import type { ParcelEventType } from '../core/parcel.events.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';

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
