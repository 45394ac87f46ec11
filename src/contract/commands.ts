/**
 * Commands: cloud → device on `antnest/v1/lockers/{lockerId}/cmd`. Every command has a
 * stable `commandId` (the device executes it at most once and answers every copy with
 * the same response) and an `expiresAt` after which the device answers `expired`
 * instead of acting on it.
 */
import { SealedCode } from './code-seal.ts';
import { type Static, Type } from 'typebox';
import {
  Base64,
  Compartment,
  CommandId,
  IsoTime,
  Obj,
  ParcelId,
  RequestId,
  ScreenSession,
  envelopeProps,
} from './common.ts';
import { KdfParams } from './pickup-code.ts';

const commandProps = {
  ...envelopeProps,
  commandId: CommandId,
  expiresAt: Type.String({
    format: 'date-time',
    maxLength: 40,
    description:
      'The device answers `expired` and does nothing once its clock passes this instant.',
  }),
};

/** Why a compartment is being opened; kept for the audit trail on both sides. */
export const OPEN_REASONS = ['pickup', 'deposit', 'retrieve', 'staff', 'maintenance'] as const;

/** Unlock one compartment. */
export const OpenCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('open'),
    compartment: Compartment,
    reason: Type.Enum(OPEN_REASONS),
    parcelId: Type.Optional(ParcelId),
    screenRequestId: Type.Optional(RequestId),
    code: Type.Optional(SealedCode),
    revision: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description:
          'v2, with code: the sync revision this code moves the offline set to. The locker adds the code and takes this revision when it holds revision − 1; when it holds less it adds the code and keeps its revision (its heartbeat then asks for a full sync); when it holds this revision or more it ignores the code (a full sync already covered it).',
      }),
    ),
  },
  'Unlock one compartment. Answered with opened, already_open, door_jammed or unknown_outcome once the door sensor has decided (at most openDetectSeconds). v2, deposits: `code` is the new parcel’s pickup code sealed for this locker (as in sync); once the door opened (opened or already_open) the locker derives its verifier and adds it to its offline set, as `revision` says.',
);

/** Run UV lamps behind closed doors. */
export const DisinfectCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('disinfect'),
    compartment: Type.Union([Compartment, Type.Literal('all')]),
    durationSeconds: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 1800,
        description: 'Default: the uvDefaultSeconds setting.',
      }),
    ),
  },
  'Run the UV lamp. Compartments whose door is not closed are refused (uv_blocked); the lamp stops if a door opens.',
);

/** One active parcel's offline-pickup verifier: scrypt(code, salt), never the code. */
export const CodeVerifier = Obj({
  parcelId: ParcelId,
  compartment: Compartment,
  salt: Base64,
  hash: Base64,
  expiresAt: IsoTime,
});
/** A verifier as a TypeScript type. */
export type CodeVerifier = Static<typeof CodeVerifier>;

/** Replace the offline-pickup verifiers. */
export const SyncCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('sync'),
    revision: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Monotonic per locker; an older revision than the stored one is ignored.',
    }),
    kdf: KdfParams,
    verifiers: Type.Array(Type.Union([CodeVerifier, SealedCode]), {
      maxItems: 512,
      description:
        'The complete set of active parcels; replaces what the device holds. Each is a ready verifier (salt, hash) or a code sealed for this locker, from which the locker derives the verifier itself (ADR 0017).',
    }),
    screenKey: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{43}$',
        description:
          'base64url HMAC key for the rotating pickup QR on the screen (see screen-qr.ts); opens nothing by itself.',
      }),
    ),
    place: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description:
          'Where the cabinet stands, as its screen header names it (compound, building and unit, cabinet), e.g. “清淳家园 1栋1单元 · 1号柜”; kept for offline.',
      }),
    ),
  },
  "Replace the pickup-code verifiers used for offline pickup. Never carries clear codes: only verifiers or codes sealed with the locker's own key.",
);

/** Device settings the cloud can change; the state snapshot shows the effective values. */
export const SETTINGS_PROPS = {
  heartbeatSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
  uvDefaultSeconds: Type.Integer({ minimum: 10, maximum: 1800 }),
  offlinePickup: Type.Boolean({
    description: 'Verify codes locally while the cloud is unreachable.',
  }),
  openDetectSeconds: Type.Integer({
    minimum: 2,
    maximum: 60,
    description: 'How long to wait for the door sensor after firing the relay.',
  }),
  wrongCodeLimit: Type.Integer({
    minimum: 3,
    maximum: 20,
    description:
      'Distinct wrong codes before the keypad locks (the first few are free, the rest slow the keypad down).',
  }),
  lockoutSeconds: Type.Integer({
    minimum: 10,
    maximum: 3600,
    description:
      'First keypad lockout; doubles per repeat up to 15 min (or this value if longer). Slowdowns before the lock never exceed it.',
  }),
  uvAfterClose: Type.Boolean({
    description:
      'The after-use policy: run UV for uvDefaultSeconds whenever a door closes (a door only closes after a use: deposit, pickup, staff or forced open), behind the interlock, online or offline. Default true; the cloud sends false for a community that turned the policy off.',
  }),
};
/** The complete settings object (state snapshot, config response). */
export const DeviceSettings = Obj(SETTINGS_PROPS);
/** Device settings as a TypeScript type. */
export type DeviceSettings = Static<typeof DeviceSettings>;

/** Change some device settings. */
export const ConfigCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('config'),
    settings: Type.Partial(DeviceSettings, {
      additionalProperties: false,
      minProperties: 1,
    } as never),
  },
  'Change some settings; unnamed settings keep their value. Persisted on the device.',
);

/** Restart the agent. */
export const RebootCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('reboot'),
    delaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 300 })),
  },
  'Restart the agent after answering ok.',
);

/** Publish stored facts again (gap repair). */
export const ReplayCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('replay'),
    fromSeq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    toSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  'Publish stored events fromSeq..toSeq again (gap repair after a broker lost messages). Answered ok with replayed and oldestSeq.',
);

/**
 * Why the cloud turned down a touchscreen request. For deposits: the courier's sign-in
 * ran out (session_expired), the recipient asked to be asked first and has not agreed
 * (consent_needed), or wants the parcel at the door or the hall (recipient_prefers_door,
 * recipient_prefers_hall), or the request did not make sense (invalid_request). For a
 * pickup code: the parcel owes an overdue fee the recipient must pay in the app first
 * (fee_owed, ADR 0028).
 */
export const SCREEN_OUTCOMES = [
  'wrong_code',
  'throttled',
  'no_free_compartment',
  'not_allowed',
  'session_expired',
  'consent_needed',
  'recipient_prefers_door',
  'recipient_prefers_hall',
  'invalid_request',
  'fee_owed',
] as const;
/** One of SCREEN_OUTCOMES. */
export type ScreenOutcome = (typeof SCREEN_OUTCOMES)[number];

/** Refuse a touchscreen request. */
export const ScreenResultCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('screen_result'),
    screenRequestId: RequestId,
    outcome: Type.Enum(SCREEN_OUTCOMES),
  },
  'Tell the touchscreen that a code_entered or deposit_requested was refused. Success is an open command carrying the screenRequestId instead.',
);

/** A courier signed in at this locker's screen from the courier app (ADR 0018). */
export const CourierSessionCommand = Obj(
  {
    ...commandProps,
    type: Type.Literal('courier_session'),
    session: ScreenSession,
    courier: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'What the screen shows: carrier and masked name, e.g. “中通快递 · 张**”.',
    }),
    sessionExpiresAt: IsoTime,
  },
  'Let the touchscreen take deposits for this courier until sessionExpiresAt (or until they sign out on the screen). The device keeps the session in memory and sends it back with each deposit_requested.',
);

/** Every command schema by its `type`. */
export const COMMAND_SCHEMAS = {
  open: OpenCommand,
  disinfect: DisinfectCommand,
  sync: SyncCommand,
  config: ConfigCommand,
  reboot: RebootCommand,
  replay: ReplayCommand,
  screen_result: ScreenResultCommand,
  courier_session: CourierSessionCommand,
} as const;
/** The `type` of a command. */
export type CommandType = keyof typeof COMMAND_SCHEMAS;
/** Every command type. */
export const COMMAND_TYPES = Object.keys(COMMAND_SCHEMAS) as CommandType[];

/** Any command (JSON Schema anyOf; validate with decodeCommand, which picks the schema by type). */
export const LockerCommand = Type.Union(Object.values(COMMAND_SCHEMAS), {
  description: 'Any command, discriminated by type.',
});

/** Static types of the command schemas. */
export type OpenCommand = Static<typeof OpenCommand>;
export type DisinfectCommand = Static<typeof DisinfectCommand>;
export type SyncCommand = Static<typeof SyncCommand>;
export type ConfigCommand = Static<typeof ConfigCommand>;
export type RebootCommand = Static<typeof RebootCommand>;
export type ReplayCommand = Static<typeof ReplayCommand>;
export type ScreenResultCommand = Static<typeof ScreenResultCommand>;
export type CourierSessionCommand = Static<typeof CourierSessionCommand>;
/** Any command, as a TypeScript union discriminated by `type`. */
export type LockerCommand = {
  [K in CommandType]: Static<(typeof COMMAND_SCHEMAS)[K]>;
}[CommandType];
