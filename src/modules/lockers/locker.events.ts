/**
 * What lockers tell the modules built on them (parcels), as a typed map of event name →
 * handler arguments (immich's EventMap). Each handler runs inside the ingest transaction of
 * the fact or answer that raised it. Questions that want an answer back (a code typed on the
 * screen, a courier's deposit request) are not events: they are the LockerHooks' deciders.
 */
import type { CommandResponse, LockerFact } from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import type { CommandRow } from './command.repository.ts';
import type { CompartmentRow, LockerRow } from './locker.repository.ts';

/** Every locker event and the arguments its handler gets after `db`. */
export interface LockerEventMap {
  /**
   * A new fact from the device was stored (door, occupancy, UV, offline pickup…); with the
   * compartment's row as the fact left it when the fact set its door or occupancy.
   */
  'locker.fact': [locker: LockerRow, fact: LockerFact, compartment?: CompartmentRow];
  /** The device answered a command. */
  'locker.response': [locker: LockerRow, command: CommandRow, response: CommandResponse];
  /** The locker came online on a new connection (it may have missed syncs, or be brand new). */
  'locker.online': [locker: LockerRow];
}

export type LockerEventName = keyof LockerEventMap;

/** A subscriber to one locker event. */
export type LockerEventHandler<K extends LockerEventName> = (
  db: Executor,
  ...args: LockerEventMap[K]
) => Promise<void>;
