/**
 * What happens when a parcel outstays its free storage (issue 4, item 8): each
 * community's policy, the one reminder sent before the deadline, the overdue action
 * taken per parcel, and the service hall's shelf that overdue parcels move to.
 */

/** What to do with a parcel once its free storage has run out. */
export type OverdueAction = 'move_to_hall' | 'capped_fee' | 'return_to_courier';

export interface OverduePolicyTable {
  community_id: string;
  /** Hours of free storage a new parcel gets (stated in the store notice). */
  free_hours: number;
  /** The reminder goes out this many hours before free storage ends. */
  reminder_hours_before: number;
  action: OverdueAction;
  /** Integer fen (分); 'capped_fee' only. */
  fee_per_day_fen: number;
  /** The fee never exceeds this (fen); 0 means no fee. */
  fee_cap_fen: number;
  /** Personal data of finished parcels is blanked this many days after they finished. */
  retention_days: number;
  updated_at: string;
}

/** One row per parcel reminded, so the sweep never reminds twice (kept apart from parcels to avoid a column change). */
export interface ParcelReminderTable {
  parcel_id: string;
  sent_at: string;
}

/** The overdue action taken for a parcel, once; 'return_to_courier' rows are the carrier's list. */
export interface ParcelOverdueTable {
  parcel_id: string;
  community_id: string;
  action: OverdueAction;
  /** The carrier to hand it back to ('return_to_courier'); null otherwise. */
  carrier_id: string | null;
  at: string;
}

export type ShelfStatus = 'to_move' | 'on_shelf' | 'handed_over';

/** A parcel the hall must fetch from a locker, shelve, and hand over against its code. */
export interface HallShelfItemTable {
  id: string;
  community_id: string;
  hall_id: string;
  /** Unique: a parcel is moved to a hall once. */
  parcel_id: string;
  status: ShelfStatus;
  /** Where it sits on the shelf, e.g. "A-03"; null until shelved. */
  slot: string | null;
  created_at: string;
  moved_at: string | null;
  handed_over_at: string | null;
  /** The staff member who shelved it. */
  moved_by: string | null;
}

export interface OverdueTables {
  overdue_policies: OverduePolicyTable;
  parcel_reminders: ParcelReminderTable;
  parcel_overdue: ParcelOverdueTable;
  hall_shelf_items: HallShelfItemTable;
}
