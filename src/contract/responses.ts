/**
 * Responses: device → cloud on `antnest/v1/lockers/{lockerId}/res`. Exactly one final
 * response per commandId; the device stores it before publishing and republishes the
 * same bytes when the cloud resends the command (ADR 0010).
 */
import { type Static, Type } from 'typebox';
import { Compartment, CommandId, Count, DoorState, Obj, envelopeProps } from './common.ts';
import { COMMAND_TYPES, DeviceSettings } from './commands.ts';

/**
 * ok: done (sync, config, reboot, replay, screen_result, disinfect started);
 * opened / already_open / door_jammed: the door sensor's verdict after an open;
 * rejected: not executed (see details.reason); expired: arrived after expiresAt, not executed;
 * unknown_outcome: the device cannot tell whether the relay fired — it will NOT retry;
 * uv_blocked: no lamp started because the doors were not closed.
 */
export const RESPONSE_STATUSES = [
  'ok',
  'opened',
  'already_open',
  'door_jammed',
  'rejected',
  'expired',
  'unknown_outcome',
  'uv_blocked',
] as const;
/** One response status. */
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** Machine-readable reasons in details.reason. */
export const RESPONSE_REASONS = [
  'unknown_compartment',
  'uv_unsupported',
  'stale_revision',
  'agent_restarted',
  'relay_unconfirmed',
  'unknown_request',
  'session_expired',
  'internal_error',
  'lamp_fault',
] as const;

/** Optional details of a response. */
export const ResponseDetails = Obj(
  {
    reason: Type.Optional(Type.Enum(RESPONSE_REASONS)),
    relayFired: Type.Optional(Type.Enum(['yes', 'no', 'unknown'] as const)),
    doorNow: Type.Optional(DoorState),
    detectionMs: Type.Optional(Count),
    started: Type.Optional(Type.Array(Compartment, { maxItems: 255 })),
    blocked: Type.Optional(Type.Array(Compartment, { maxItems: 255 })),
    applied: Type.Optional(Type.Boolean()),
    revision: Type.Optional(Count),
    count: Type.Optional(Count),
    skipped: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description:
          'sync: sealed codes the locker could not open with its key and left out of its set (absent when 0).',
      }),
    ),
    replayed: Type.Optional(Count),
    oldestSeq: Type.Optional(Count),
    lastSeq: Type.Optional(Count),
    settings: Type.Optional(DeviceSettings),
  },
  'Extra facts about the outcome; which fields appear depends on the command type and status.',
);
/** Response details as a TypeScript type. */
export type ResponseDetails = Static<typeof ResponseDetails>;

/** The response to a command (res topic). */
export const CommandResponse = Obj(
  {
    ...envelopeProps,
    commandId: CommandId,
    commandType: Type.Enum(COMMAND_TYPES),
    status: Type.Enum(RESPONSE_STATUSES),
    compartment: Type.Optional(Compartment),
    details: Type.Optional(ResponseDetails),
  },
  'The final answer to one command.',
);
/** A response as a TypeScript type. */
export type CommandResponse = Static<typeof CommandResponse>;
