/**
 * Opening a compartment: two facts, reported separately (ADR 0011). The relay firing is
 * recorded the moment the board confirms it; the door sensor then has
 * openDetectSeconds to see the door open. Used for cloud `open` commands and for
 * offline pickups alike.
 */
import type { OpenCommand } from '../../contract/commands.ts';
import type { ResponseDetails } from '../../contract/responses.ts';
import type { AgentContext } from '../context.ts';
import type { OpenOwner } from '../inflight.ts';
import type { FactDraft, ResponseDraft } from '../outbox.ts';
import { RelayUnconfirmedError } from '../ports/lock-bus.ts';
import { addCarriedCode } from './sync-verifiers.ts';

/** What the door did. */
export type OpenResult = {
  outcome: 'opened' | 'already_open' | 'door_jammed' | 'unknown_outcome';
  relayFired: 'yes' | 'no' | 'unknown';
  detectionMs?: number;
};

/**
 * Fire the relay and watch the door. `onRelayFired` runs (and must persist) as soon as
 * the board confirms the pulse. Callers hold the compartment's exclusive lock.
 */
export async function openAndWatch(
  ctx: AgentContext,
  compartment: number,
  owner: OpenOwner,
  onRelayFired: () => void,
): Promise<OpenResult> {
  const { bus, inflight, clock, timers } = ctx;
  // An open door needs no pulse; firing anyway would only add an unknown to recover from.
  if (bus.door(compartment) === 'open') return { outcome: 'already_open', relayFired: 'no' };
  // UV never runs with a door open: switch it off before the latch releases.
  await ctx.uv.abort(compartment, 'open_command');
  inflight.begin(compartment, owner);
  const firedAt = clock.now();
  try {
    let confirmed = true;
    try {
      await bus.open(compartment);
      inflight.relayFired(compartment, clock.now());
      onRelayFired();
    } catch (e) {
      if (!(e instanceof RelayUnconfirmedError)) throw e;
      confirmed = false;
      inflight.relayFired(compartment, clock.now());
      ctx.outbox.emit({
        type: 'fault',
        code: 'relay_unconfirmed',
        message: e.message.slice(0, 300),
        compartment,
      });
    }
    const openedAt = await inflight.waitForDoor(
      compartment,
      ctx.settings().openDetectSeconds * 1000,
      (ms) => timers.sleep(ms),
    );
    if (openedAt !== null)
      return {
        outcome: 'opened',
        relayFired: confirmed ? 'yes' : 'unknown',
        detectionMs: Math.max(0, openedAt - firedAt),
      };
    return confirmed
      ? { outcome: 'door_jammed', relayFired: 'yes' }
      : { outcome: 'unknown_outcome', relayFired: 'unknown' };
  } finally {
    inflight.end(compartment);
  }
}

/** How long the agent remembers codes spent by pickup commands (a code lives 7 days). */
export const SPENT_CODES_KEEP_MS = 8 * 86_400_000;

/**
 * Handle the cloud's `open` command; returns the response and the facts to record with it.
 * `answeredByFact`: contract v2, the open_outcome fact is the answer and no response is sent.
 */
export async function handleOpen(
  ctx: AgentContext,
  cmd: OpenCommand,
): Promise<{
  response: ResponseDraft;
  facts: FactDraft[];
  answeredByFact?: boolean;
  afterRecorded?: () => void;
}> {
  const c = cmd.compartment;
  if (!ctx.bus.compartments.includes(c))
    return {
      response: { status: 'rejected', compartment: c, details: { reason: 'unknown_compartment' } },
      facts: [],
    };
  return ctx.inflight.exclusive(c, async () => {
    // A quick close of the door this opens waits until its outcome is recorded (the caller calls afterRecorded).
    ctx.inflight.expectOutcome(cmd.commandId);
    try {
      return {
        ...(await openOnCommand(ctx, cmd)),
        afterRecorded: () => ctx.inflight.outcomeRecorded(cmd.commandId),
      };
    } catch (e) {
      ctx.inflight.outcomeRecorded(cmd.commandId);
      throw e;
    }
  });
}

/** Open for a command and build its answer (handleOpen holds the compartment). */
async function openOnCommand(
  ctx: AgentContext,
  cmd: OpenCommand,
): Promise<{ response: ResponseDraft; facts: FactDraft[]; answeredByFact?: boolean }> {
  const c = cmd.compartment;
  const r = await openAndWatch(ctx, c, { kind: 'command', commandId: cmd.commandId }, () =>
    ctx.store.updateCommand(cmd.commandId, { relayFired: true }),
  );
  if (cmd.screenRequestId) ctx.screen.opened(cmd.screenRequestId, c, r.outcome);
  // A pickup spends the compartment's code here and now, so the cloud need not send a
  // new sync for it (one sync per parcel instead of two); see handleSync for a stale one.
  if (
    cmd.reason === 'pickup' &&
    cmd.parcelId &&
    (r.outcome === 'opened' || r.outcome === 'already_open')
  ) {
    ctx.store.spendCompartmentCodes(c, ctx.clock.now(), SPENT_CODES_KEEP_MS);
  }
  // v2: a deposit's open carries the new parcel's sealed code; derive its verifier now that
  // the door opened (off the answer's path: scrypt is deliberately slow).
  if (cmd.code && cmd.revision && (r.outcome === 'opened' || r.outcome === 'already_open'))
    void addCarriedCode(ctx, cmd.code, cmd.revision).catch((e: unknown) =>
      ctx.log.warn(
        { parcelId: cmd.code?.parcelId, err: (e as Error).message },
        'a code carried by an open was not added; the next heartbeat asks for a full sync',
      ),
    );
  const details: ResponseDetails = { relayFired: r.relayFired, doorNow: ctx.bus.door(c) };
  const v2 = ctx.contract === 'v2';
  if (r.detectionMs !== undefined) details.detectionMs = r.detectionMs;
  if (r.outcome === 'unknown_outcome') details.reason = 'relay_unconfirmed';
  const facts: FactDraft[] =
    r.outcome === 'unknown_outcome'
      ? []
      : [
          {
            type: 'open_outcome',
            compartment: c,
            commandId: cmd.commandId,
            outcome: r.outcome,
            ...(r.detectionMs !== undefined ? { detectionMs: r.detectionMs } : {}),
            // v2: the fact is the answer, so it carries the response's details.
            ...(v2 ? { relayFired: r.relayFired, doorNow: details.doorNow } : {}),
          },
        ];
  ctx.stateChanged(facts.length > 0); // an unknown outcome is no fact: the snapshot tells how the door is
  return {
    response: { status: r.outcome, compartment: c, details },
    facts,
    ...(v2 && facts.length > 0 ? { answeredByFact: true } : {}),
  };
}
