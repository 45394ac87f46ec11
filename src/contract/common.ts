/**
 * Building blocks shared by every message of the locker contract (MQTT v1). The
 * contract module depends on nothing but TypeBox so the cloud and the device can both
 * import it without pulling in each other's code.
 */
import { type TProperties, Type } from 'typebox';

/** The contract version carried in every topic. Bump only for breaking changes. */
export const CONTRACT_VERSION = 'v1';

/**
 * The message dialects a locker can speak on those topics. v2 keeps v1's topics and adds
 * to its messages (docs/device.md, "Contract v2"); a locker announces the one it speaks in
 * every heartbeat (`contract`), and the cloud talks to it in that one. A locker that says
 * nothing speaks v1, so every deployed locker keeps working unchanged.
 */
export const CONTRACT_VERSIONS = ['v1', 'v2'] as const;
/** One of CONTRACT_VERSIONS. */
export type ContractVersion = (typeof CONTRACT_VERSIONS)[number];
/** What the reference agent speaks. */
export const LATEST_CONTRACT: ContractVersion = 'v2';

/** A closed object: a field the contract does not name is a validation error. */
export function Obj<T extends TProperties>(props: T, description?: string) {
  return Type.Object(
    props,
    description === undefined
      ? { additionalProperties: false }
      : { additionalProperties: false, description },
  );
}

/** Lower-case letters, digits and dashes; 3–64 characters; never starts with a dash or with `antnest-` (reserved for service accounts). */
export const LOCKER_ID_PATTERN = '^(?!antnest-)[a-z0-9][a-z0-9-]{2,63}$';
const LOCKER_ID_RE = new RegExp(LOCKER_ID_PATTERN);

/** True when s is a well-formed locker id. */
export function isLockerId(s: string): boolean {
  return LOCKER_ID_RE.test(s);
}

/** Identifier text used for message, command and request ids: a UUID fits, so does `cmd-0001`. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$';

/** Schema of a locker id. */
export const LockerId = Type.String({
  pattern: LOCKER_ID_PATTERN,
  description: 'The locker (cabinet) id; equals the {lockerId} segment of the topic.',
});
/** Schema of a message id. */
export const MessageId = Type.String({
  pattern: ID_PATTERN,
  description:
    'Unique per message; a redelivered or replayed message keeps it, so receivers deduplicate on it.',
});
/** Schema of a command id. */
export const CommandId = Type.String({
  pattern: ID_PATTERN,
  description: 'Stable id of the command (idempotency key); the cloud reuses it when it retries.',
});
/** Schema of a touchscreen request id. */
export const RequestId = Type.String({
  pattern: ID_PATTERN,
  description: 'Id of a touchscreen request (code entry or deposit), made by the device.',
});
/** Schema of an ISO-8601 UTC instant. */
export const IsoTime = Type.String({
  format: 'date-time',
  maxLength: 40,
  description: 'ISO-8601 UTC instant, e.g. 2026-11-26T02:00:00.000Z',
});
/** Schema of a compartment number. */
export const Compartment = Type.Integer({
  minimum: 1,
  maximum: 255,
  description: 'Compartment number on this locker, 1-based.',
});
/** Schema of a fact sequence number. */
export const Seq = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description:
    'Per-locker event sequence number: 1, 2, 3… without gaps, persisted across restarts.',
});
/** Schema of a non-negative count. */
export const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** Schema of a parcel id. */
export const ParcelId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$',
  description: 'The cloud-side parcel id.',
});

/** Schema of salts and hashes (standard base64). */
export const Base64 = Type.String({
  pattern: '^[A-Za-z0-9+/]{16,88}={0,2}$',
  description: 'Standard base64.',
});

/**
 * A courier's sign-in at one locker's screen (ADR 0018): a short-lived token the cloud
 * signs and the device hands back with each deposit request. Opaque to the device.
 */
export const ScreenSession = Type.String({
  pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
  maxLength: 1024,
  description: 'Opaque signed token; the device keeps it in memory only.',
});

/** The 8-digit pickup code a resident types on the locker. */
export const PICKUP_CODE_PATTERN = '^[0-9]{8}$';
/** Schema of a typed pickup code. */
export const PickupCode = Type.String({
  pattern: PICKUP_CODE_PATTERN,
  description: '8-digit pickup code as typed.',
});

/** Compartment door as seen by its sensor. */
export const DOOR_STATES = ['open', 'closed', 'unknown'] as const;
/** Schema of a door state. */
export const DoorState = Type.Enum(DOOR_STATES);

/** Field sets every message carries. */
export const envelopeProps = {
  messageId: MessageId,
  lockerId: LockerId,
  sentAt: IsoTime,
};
