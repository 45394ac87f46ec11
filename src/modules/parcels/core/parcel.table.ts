/**
 * Parcels: what sits (or will sit) in a compartment for someone. The recipient is a phone
 * (encrypted + keyed hash) and, once they have an account, a user; never a flat number.
 * The pickup code exists in clear only in the notification; the table keeps its keyed
 * hash and a scrypt verifier the locker can check offline.
 */
export type ParcelKind = 'delivery' | 'takeout' | 'neighbour' | 'outgoing';
export type ParcelStatus =
  /** A compartment is held and its door was opened for the depositor. */
  | 'reserved'
  /** In the compartment, waiting for the recipient. */
  | 'stored'
  /** Picked up (or collected by the carrier for outgoing parcels). */
  | 'picked_up'
  /** The depositor never closed the door with something inside before the reservation ran out. */
  | 'cancelled'
  /** Overdue, moved out of the locker onto the service hall's shelf; the same code collects it there. */
  | 'at_hall'
  /** Overdue and handed back to the depositor's carrier (overdue policy 'return_to_courier'). */
  | 'returned'
  /**
   * Not in its compartment when staff checked after a `parcel_missing` alert, and not found:
   * recorded lost by a community worker, with a note (ADR 0041). Final, like picked_up.
   */
  | 'lost';

export interface ParcelTable {
  id: string;
  community_id: string;
  locker_id: string;
  compartment: number;
  kind: ParcelKind;
  size: 'S' | 'M' | 'L' | 'XL';
  status: ParcelStatus;
  carrier_id: string | null;
  /** The user who deposited it (courier, rider or resident). */
  depositor_id: string;
  waybill: string | null;
  recipient_phone_hash: string | null;
  recipient_phone_cipher: string | null;
  /** The phone's last four digits (手机尾号), what its mask shows; staff search by it. */
  recipient_phone_tail: string | null;
  recipient_user_id: string | null;
  /** HMAC of the 8-digit code, unique among a locker's live parcels. */
  code_hash: string | null;
  /** The code encrypted for its recipient's own view (the app shows it); never shown to others. */
  code_cipher: string | null;
  /** scrypt verifier for offline pickup (JSON: { salt, hash }). */
  code_verifier: string | null;
  code_expires_at: string | null;
  reserved_until: string | null;
  stored_at: string | null;
  /** Storage is free until this instant (regulation: stated in the notification). */
  free_until: string | null;
  picked_up_at: string | null;
  /** The open command that is picking it up, so the door event can settle it. */
  pickup_command_id: string | null;
  deidentified_at: string | null;
  /** The first parcel of a group sharing one compartment and one code (same recipient); null otherwise. */
  together_with: string | null;
  /** A neighbour deposit's short note for the neighbour (personal: blanked by retention). */
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface ParcelEventTable {
  id: string;
  parcel_id: string;
  community_id: string;
  type: string;
  /** The user who caused it; null for the device or the system. */
  actor_id: string | null;
  source: 'api' | 'device' | 'system';
  /** JSON with no personal data. */
  detail: string;
  at: string;
}

export interface NotificationTable {
  id: string;
  community_id: string;
  parcel_id: string | null;
  user_id: string | null;
  channel: 'sms' | 'app';
  phone_cipher: string | null;
  /** The text; SMS bodies are blanked once sent (they carry the code). */
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  sent_at: string | null;
  /** What the SMS is about (parcel_arrived, overdue_reminder): the outbox sends it as a WeChat subscribe message when the resident has a grant for it (ADR 0033). */
  topic?: string | null;
}

export interface ParcelTables {
  parcels: ParcelTable;
  parcel_events: ParcelEventTable;
  notifications: NotificationTable;
}
