/**
 * Notices: cloud → device on the locker's `cmd` topic (the only one it subscribes to),
 * contract v2 only. Not commands: no `commandId`, no response, nothing to execute. Today
 * one: a device message the cloud refused, so the locker learns it (and can log it, count
 * it, and fix or stop resending it) instead of only the cloud's log knowing.
 */
import { type Static, Type } from 'typebox';
import { MessageId, Obj, envelopeProps } from './common.ts';

/** The one notice type so far. */
export const MESSAGE_REJECTED = 'message_rejected';

/** A device message the cloud refused. */
export const MessageRejectedNotice = Obj(
  {
    ...envelopeProps,
    type: Type.Literal(MESSAGE_REJECTED),
    rejectedTopic: Type.Enum(['res', 'evt', 'state', 'status'] as const, {
      description: 'The topic kind the refused message arrived on.',
    }),
    rejectedMessageId: Type.Optional(
      Type.Union([MessageId], {
        description: 'Its messageId, when the payload was JSON with a well-formed one.',
      }),
    ),
    reason: Type.String({
      minLength: 1,
      maxLength: 300,
      description:
        'Why, in English, e.g. "event code_entered: /code must match pattern …" or "code_entered r-1 arrived after it expired". Never repeats the payload.',
    }),
  },
  'v2, cloud → device on cmd: the cloud refused a message of this locker (malformed, of another locker, expired, stale). Not a command: never answered. Redeliveries, gaps (answered by replay) and presence races are not notified. At most one per second per locker.',
);
/** A rejection notice as a TypeScript type. */
export type MessageRejectedNotice = Static<typeof MessageRejectedNotice>;
