/**
 * Retained snapshots: `state` (every compartment, the effective settings, counters) and
 * `status` (online/offline; offline is the Last Will the broker publishes when the
 * connection dies without a clean goodbye).
 */
import { type Static, Type } from 'typebox';
import {
  Compartment,
  Count,
  DoorState,
  ID_PATTERN,
  IsoTime,
  Obj,
  envelopeProps,
} from './common.ts';
import { DeviceSettings } from './commands.ts';

/** One compartment in the state snapshot. */
export const CompartmentState = Obj({
  compartment: Compartment,
  door: DoorState,
  lock: Type.Enum(['locked', 'unlocked', 'unknown'] as const),
  occupied: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'null when the cabinet has no occupancy sensor',
  }),
  uv: Type.Enum(['off', 'running'] as const),
});
/** A compartment state as a TypeScript type. */
export type CompartmentState = Static<typeof CompartmentState>;

/** The retained state snapshot (state topic). */
export const LockerState = Obj(
  {
    ...envelopeProps,
    revision: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Reported revision: grows with every snapshot, persisted; ignore a lower one.',
    }),
    agentVersion: Type.String({ maxLength: 40 }),
    lastSeq: Count,
    syncRevision: Count,
    verifierCount: Count,
    keypadLockedUntil: Type.Union([IsoTime, Type.Null()]),
    capabilities: Obj({ uv: Type.Boolean(), occupancy: Type.Boolean() }),
    settings: DeviceSettings,
    compartments: Type.Array(CompartmentState, { maxItems: 255 }),
  },
  'Retained snapshot of the whole cabinet, republished on connect and on every change.',
);
/** A state snapshot as a TypeScript type. */
export type LockerState = Static<typeof LockerState>;

/** The retained presence message (status topic). */
export const LockerStatus = Obj(
  {
    ...envelopeProps,
    status: Type.Enum(['online', 'offline'] as const),
    connectionId: Type.String({
      pattern: ID_PATTERN,
      description:
        'New for every MQTT connection; an offline whose connectionId is not the latest online is stale.',
    }),
    reason: Type.Enum(['connected', 'shutdown', 'reboot', 'connection_lost'] as const),
  },
  'Retained presence. connection_lost is the Last Will; its sentAt is the connect time.',
);
/** A presence message as a TypeScript type. */
export type LockerStatus = Static<typeof LockerStatus>;
