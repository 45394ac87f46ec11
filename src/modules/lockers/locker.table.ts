/**
 * Lockers (cabinets) and their compartments, the command outbox, the event log, and
 * alerts. Every row carries community_id. Desired state lives in the commands we send;
 * reported state is the device's retained snapshot, applied only when its revision grows.
 */
export type CompartmentSize = 'S' | 'M' | 'L' | 'XL';
export type CompartmentKind = 'normal' | 'food' | 'cold';
/** What the cloud uses a compartment for; door/uv/occupied are what the device reported. */
export type CompartmentUse = 'free' | 'reserved' | 'occupied' | 'out_of_service';

export interface LockerTable {
  /** The device id used in topics, e.g. `qsh-b01-u1`. */
  id: string;
  community_id: string;
  site_id: string;
  name: string;
  status: 'provisioning' | 'active' | 'retired';
  /** sha256 of the device's MQTT password; null until provisioned. */
  secret_hash: string | null;
  /** sha256 of the outstanding one-time provisioning token. */
  provisioning_hash: string | null;
  provisioning_expires_at: string | null;
  /** When the MQTT secret last changed or stopped holding (rotation redeemed, retirement); nodes poll it to revoke. */
  credentials_changed_at: string | null;
  presence: 'online' | 'offline' | 'unknown';
  presence_changed_at: string | null;
  connection_id: string | null;
  last_seen_at: string | null;
  /** Highest state revision applied; older snapshots are rejected. */
  reported_revision: number;
  /** Highest event seq stored (facts may arrive with gaps; see missing_seqs). */
  last_seq: number;
  agent_version: string | null;
  /**
   * The counter that versions the locker's offline-code set (ADR 0017): raised by every
   * change the locker must be told, carried as a sync's `revision`. Never a clock for a v2
   * locker; for v1 it stays above the cloud's clock in ms, as v1 agents expect.
   */
  sync_revision: number;
  /** The contract the locker announced in its heartbeat (docs/device.md); 'v1' until it says otherwise. */
  contract_version: ContractVersion;
  /**
   * Unresolved alerts of the locker (open or acknowledged), kept by alert.repository.ts with
   * every raise and resolve; never below the true count. 0 lets ingest skip its "condition
   * cleared" resolves.
   */
  open_alerts: number;
  created_at: string;
  updated_at: string;
}

/** A contract version a locker can speak. */
export type ContractVersion = 'v1' | 'v2';

export interface CompartmentTable {
  id: string;
  community_id: string;
  locker_id: string;
  number: number;
  size: CompartmentSize;
  kind: CompartmentKind;
  use: CompartmentUse;
  door: 'open' | 'closed' | 'unknown';
  occupied: 'yes' | 'no' | 'unknown';
  uv: 'off' | 'running';
  /** The last UV cycle's result: null until one ran; aborted and failed keep the compartment out of allocation. */
  uv_result: 'completed' | 'aborted' | 'failed' | 'blocked' | null;
  last_disinfected_at: string | null;
  /** Seq of the last cycle's record in uv_cycles (null until one was reported). */
  last_uv_seq: number | null;
  /**
   * Device time of the last door fact (door_opened, door_closed, uncommanded_open) applied:
   * a late answer to an open sent before it must not reopen the door (ingest.repository.ts).
   */
  door_fact_at: string | null;
  updated_at: string;
}

export interface LockerCommandTable {
  /** The commandId on the wire. */
  id: string;
  community_id: string;
  locker_id: string;
  type: string;
  compartment: number | null;
  /** The command body without the envelope (JSON). */
  body: string;
  status: 'pending' | 'sent' | 'answered' | 'expired';
  attempts: number;
  next_attempt_at: string;
  expires_at: string;
  response_status: string | null;
  /** The device's response (JSON). */
  response: string | null;
  requested_by: string | null;
  reason: string | null;
  created_at: string;
  answered_at: string | null;
}

export interface LockerEventTable {
  locker_id: string;
  seq: number;
  community_id: string;
  type: string;
  compartment: number | null;
  message_id: string;
  /** The whole event (JSON). */
  payload: string;
  occurred_at: string;
  received_at: string;
}

export type AlertKind =
  | 'door_jammed'
  | 'uncommanded_open'
  | 'offline'
  | 'uv_fault'
  | 'device_fault'
  | 'keypad_locked'
  | 'takeout_overdue'
  /** Shut empty though stored parcels should be inside, with no pickup asked for (parcels' fact hooks). */
  | 'parcel_missing';

export interface LockerAlertTable {
  id: string;
  community_id: string;
  locker_id: string;
  compartment: number | null;
  kind: AlertKind;
  status: 'open' | 'acknowledged' | 'resolved';
  message: string;
  /** One open alert per (locker, compartment, kind): repeats bump `occurrences`. */
  dedup_key: string;
  occurrences: number;
  opened_at: string;
  last_seen_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
}

export interface LockerTables {
  lockers: LockerTable;
  compartments: CompartmentTable;
  locker_commands: LockerCommandTable;
  locker_events: LockerEventTable;
  locker_alerts: LockerAlertTable;
}
