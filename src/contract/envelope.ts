/** Helpers to stamp the envelope fields on outgoing messages, from an injected clock and randomness. */
import { type Clock, type Random, iso, newId } from '../kernel/clock.ts';

/** Default time a command stays executable after it is sent. */
export const DEFAULT_COMMAND_TTL_SECONDS = 60;

/** messageId, lockerId, sentAt for any message. */
export function newEnvelope(
  lockerId: string,
  clock: Clock,
  random: Random,
): { messageId: string; lockerId: string; sentAt: string } {
  return { messageId: newId(clock, random), lockerId, sentAt: iso(clock.now()) };
}

/**
 * The envelope of a new command. Pass the same commandId when retrying a command so the
 * device executes it once and answers every copy identically.
 */
export function newCommandEnvelope(opts: {
  lockerId: string;
  clock: Clock;
  random: Random;
  commandId?: string;
  ttlSeconds?: number;
}) {
  const now = opts.clock.now();
  return {
    ...newEnvelope(opts.lockerId, opts.clock, opts.random),
    commandId: opts.commandId ?? newId(opts.clock, opts.random),
    expiresAt: iso(now + (opts.ttlSeconds ?? DEFAULT_COMMAND_TTL_SECONDS) * 1000),
  };
}
