/**
 * Events: device → cloud on `antnest/v1/lockers/{lockerId}/evt`. Two classes:
 * - facts carry `seq` (1, 2, 3… per locker, persisted, no gaps). They are stored on the
 *   device before publishing, replayed in order after any outage, and the cloud stores
 *   each (lockerId, seq) once;
 * - signals (heartbeat, code_entered, deposit_requested) carry `expiresAt` instead of a
 *   seq. They are never stored or replayed: a stale code entry must not open a door
 *   later, and a clear code must never rest on the device (ADR 0012).
 */
import { type Static, type TSchema, Type } from 'typebox';
import {
  CONTRACT_VERSIONS,
  Compartment,
  CommandId,
  Count,
  DOOR_STATES,
  IsoTime,
  Obj,
  ParcelId,
  PickupCode,
  RequestId,
  ScreenSession,
  Seq,
  envelopeProps,
} from './common.ts';

const factProps = { ...envelopeProps, seq: Seq };
const signalProps = { ...envelopeProps, expiresAt: IsoTime };

function fact<T extends string, P extends Record<string, TSchema>>(
  type: T,
  props: P,
  description: string,
) {
  return Obj({ ...factProps, type: Type.Literal(type), ...props }, description);
}
function signal<T extends string, P extends Record<string, TSchema>>(
  type: T,
  props: P,
  description: string,
) {
  return Obj({ ...signalProps, type: Type.Literal(type), ...props }, description);
}

/** What a door can do after its relay fired. */
export const OPEN_OUTCOMES = ['opened', 'already_open', 'door_jammed'] as const;

/** Every fact schema by type (facts carry seq and are replayed). */
export const FACT_SCHEMAS = {
  door_opened: fact(
    'door_opened',
    {
      compartment: Compartment,
      cause: Type.Enum(['command', 'offline_pickup', 'uncommanded'] as const),
      commandId: Type.Optional(CommandId),
    },
    'The door sensor saw the door open. cause=command carries the open command it answers (v1 only: a v2 locker reports a commanded opening in its open_outcome, doorNow "open", and sends door_opened only for offline_pickup and uncommanded openings).',
  ),
  door_closed: fact(
    'door_closed',
    {
      compartment: Compartment,
      openSeconds: Type.Optional(Type.Number({ minimum: 0 })),
      occupied: Type.Optional(
        Type.Boolean({
          description:
            'v2: the occupancy sensor as the door closed (absent without a sensor). The cloud decides a deposit on it: false cancels the reservation for good, and a later occupancy fact does not bring it back.',
        }),
      ),
      uvStartedSeconds: Type.Optional(
        Type.Integer({
          minimum: 1,
          description:
            "v2: this close started the after-use UV cycle (setting uvAfterClose), planned to run this many seconds. The locker sends no uv_started for it; the cycle's uv_done ends it as any other (a lamp that does not come on ends it at once: fault uv_lamp, then uv_done aborted/lamp_fault). Absent when no cycle starts: no lamp, the setting off, or an open in flight for this door.",
        }),
      ),
    },
    'The door sensor saw the door close. v1: report an occupancy change before the door_closed that follows it (the cloud reads the occupancy it last heard; a door_closed before it can turn a cancelled deposit into a stored one). v2: carry it here instead; a change seen while the door was open is sent in this fact only, not as an occupancy fact.',
  ),
  open_outcome: fact(
    'open_outcome',
    {
      compartment: Compartment,
      commandId: CommandId,
      outcome: Type.Enum(OPEN_OUTCOMES),
      detectionMs: Type.Optional(Count),
      relayFired: Type.Optional(
        Type.Enum(['yes', 'no', 'unknown'] as const, {
          description: "v2: the response's details.relayFired (this fact is the open's answer).",
        }),
      ),
      doorNow: Type.Optional(
        Type.Enum(DOOR_STATES, {
          description: "v2: the response's details.doorNow (this fact is the open's answer).",
        }),
      ),
    },
    "What the door did after an open command: the physical fact, separate from the relay firing. v2: also the open's answer, and the report of the opening itself (no door_opened; the cloud takes the door's state from doorNow), emitted before any later fact about that door (status = outcome); the locker sends no `res` for an open that has an outcome (it still does for rejected, expired and unknown_outcome), and answers a resent open by publishing this fact again (same seq).",
  ),
  uncommanded_open: fact(
    'uncommanded_open',
    { compartment: Compartment, lastRelaySecondsAgo: Type.Optional(Type.Number({ minimum: 0 })) },
    'A door opened with no open in flight (forced, faulty latch, or pulled long after a jam). Alert material.',
  ),
  occupancy: fact(
    'occupancy',
    { compartment: Compartment, occupied: Type.Boolean() },
    'The occupancy sensor changed. v2: only while the door is shut (a change behind an open door rides on its door_closed).',
  ),
  uv_started: fact(
    'uv_started',
    {
      compartment: Compartment,
      durationSeconds: Type.Integer({ minimum: 1 }),
      trigger: Type.Enum(['command', 'after_close'] as const),
      commandId: Type.Optional(CommandId),
    },
    'A UV lamp switched on.',
  ),
  uv_done: fact(
    'uv_done',
    {
      compartment: Compartment,
      result: Type.Enum(['completed', 'aborted'] as const),
      reason: Type.Optional(
        Type.Enum(['door_opened', 'open_command', 'agent_restarted', 'lamp_fault'] as const),
      ),
      ranSeconds: Type.Number({ minimum: 0 }),
    },
    'A UV lamp switched off: ran its course, or aborted (a door opened — the interlock).',
  ),
  uv_blocked: fact(
    'uv_blocked',
    {
      compartment: Compartment,
      reason: Type.Literal('door_open'),
      commandId: Type.Optional(CommandId),
    },
    'UV was refused because the door was not closed.',
  ),
  offline_pickup: fact(
    'offline_pickup',
    {
      parcelId: ParcelId,
      compartment: Compartment,
      outcome: Type.Enum(['opened', 'door_jammed', 'unknown_outcome'] as const),
      pickedUpAt: IsoTime,
    },
    'A code was verified on the device while the cloud was unreachable and the compartment was opened.',
  ),
  keypad_locked: fact(
    'keypad_locked',
    { failures: Type.Integer({ minimum: 1 }), until: IsoTime },
    'Too many wrong codes: the keypad refuses codes until `until`.',
  ),
  fault: fact(
    'fault',
    {
      code: Type.Enum(['lock_bus', 'relay_unconfirmed', 'sensor', 'uv_lamp', 'agent'] as const),
      message: Type.String({ maxLength: 300 }),
      compartment: Type.Optional(Compartment),
    },
    'Something on the device needs a technician.',
  ),
  booted: fact(
    'booted',
    {
      reason: Type.Enum(['start', 'reboot', 'crash_recovery'] as const),
      agentVersion: Type.String({ maxLength: 40 }),
      unknownOutcomes: Count,
    },
    'The agent started; crash_recovery means the last run ended without a clean shutdown.',
  ),
} as const;

/** Every signal schema by type (signals carry expiresAt and are never stored or replayed). */
export const SIGNAL_SCHEMAS = {
  heartbeat: signal(
    'heartbeat',
    {
      uptimeSeconds: Count,
      lastSeq: Count,
      pendingOutbox: Count,
      syncRevision: Count,
      stateRevision: Count,
      rejectedMessages: Count,
      contract: Type.Optional(
        Type.Enum(CONTRACT_VERSIONS, {
          description:
            'The contract the locker speaks; absent means v1. A v2 agent sends a heartbeat as soon as it first connects after starting (its hello), so the cloud knows early; every periodic heartbeat repeats it.',
        }),
      ),
    },
    'Liveness plus counters, every heartbeatSeconds (default 60) and, from a v2 locker, once on its first connect after starting. lastSeq lets the cloud spot a lost tail of facts and ask for a replay; syncRevision lets it spot an offline-code set that is behind (v2: the cloud then sends a full sync). Expires after 3 × heartbeatSeconds.',
  ),
  code_entered: signal(
    'code_entered',
    { requestId: RequestId, code: PickupCode },
    'A resident typed a code while online. The cloud answers with open (screenRequestId) or screen_result, and must not store the clear code.',
  ),
  deposit_requested: signal(
    'deposit_requested',
    {
      requestId: RequestId,
      session: ScreenSession,
      waybill: Type.String({
        pattern: '^[A-Za-z0-9-]{4,40}$',
        description: 'The carrier waybill, typed or scanned on the screen.',
      }),
      recipientPhone: Type.String({
        pattern: '^1[3-9][0-9]{9}$',
        description:
          'The recipient’s mainland mobile number (11 digits). Never stored on the device; the cloud keeps it encrypted.',
      }),
      size: Type.Enum(['S', 'M', 'L', 'XL'] as const),
    },
    'A signed-in courier asked the touchscreen for a compartment (ADR 0018). The cloud answers with open (screenRequestId) or screen_result.',
  ),
} as const;

/** Every event schema (facts and signals) by type. */
export const EVENT_SCHEMAS = { ...FACT_SCHEMAS, ...SIGNAL_SCHEMAS } as const;
/** Type names of facts, signals and all events. */
export type FactType = keyof typeof FACT_SCHEMAS;
export type SignalType = keyof typeof SIGNAL_SCHEMAS;
export type EventType = keyof typeof EVENT_SCHEMAS;
/** Every fact type. */
export const FACT_TYPES = Object.keys(FACT_SCHEMAS) as FactType[];
/** Every signal type. */
export const SIGNAL_TYPES = Object.keys(SIGNAL_SCHEMAS) as SignalType[];

/** Any event (JSON Schema anyOf; validate with decodeEvent). */
export const LockerEvent = Type.Union(Object.values(EVENT_SCHEMAS), {
  description: 'Any event, discriminated by type.',
});

/** Any fact, discriminated by `type`. */
export type LockerFact = { [K in FactType]: Static<(typeof FACT_SCHEMAS)[K]> }[FactType];
/** Any signal, discriminated by `type`. */
export type LockerSignal = { [K in SignalType]: Static<(typeof SIGNAL_SCHEMAS)[K]> }[SignalType];
/** A signed-in courier's deposit request from the touchscreen. */
export type DepositRequestedSignal = Static<(typeof SIGNAL_SCHEMAS)['deposit_requested']>;
/** Any event. */
export type LockerEvent = LockerFact | LockerSignal;

/** True for events that carry a seq. */
export function isFact(e: LockerEvent): e is LockerFact {
  return 'seq' in e;
}
