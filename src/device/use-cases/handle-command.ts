/**
 * The front door for commands (ADR 0010). Synchronously, before the broker gets its
 * acknowledgement: check topic and schema (a bad message is logged and dropped with no
 * state change), deduplicate by commandId, answer `expired` for stale commands, and
 * record the command as executing. Then run its handler and record the one final
 * response, which the outbox delivers.
 */
import type { CommandType, DeviceSettings, LockerCommand } from '../../contract/commands.ts';
import { parseLockerTopic } from '../../contract/topics.ts';
import type { MessageRejectedNotice } from '../../contract/notices.ts';
import { decodeCommand, decodeNotice } from '../../contract/validate.ts';
import type { AgentContext } from '../context.ts';
import type { FactDraft, ResponseDraft } from '../outbox.ts';
import { handleConfig } from './apply-config.ts';
import { handleOpen } from './open-compartment.ts';
import { codeAccepted, handleCourierSession, handleScreenResult } from './pickup-code.ts';
import { handleSync } from './sync-verifiers.ts';

/** Hooks into the agent that commands can trigger. */
export interface CommandHooks {
  settingsChanged(s: DeviceSettings): void;
  /** Keep track of a command being executed (a graceful stop waits for it). */
  track(work: Promise<void>): void;
  /** v2: the cloud refused one of our messages (a notice on the cmd topic; nothing to answer). */
  cloudRejected?(notice: MessageRejectedNotice): void;
}

/** Why a message was dropped, for logs and tests. */
export type Rejection = { topic: string; reason: string };

/** Handle one message from the cmd subscription. Returns the rejection when dropped. */
export function receiveCommand(
  ctx: AgentContext,
  hooks: CommandHooks,
  topic: string,
  payload: Buffer,
): Rejection | undefined {
  const reject = (reason: string): Rejection => {
    ctx.stats.rejectedMessages++;
    ctx.log.warn({ topic, reason }, 'command rejected');
    return { topic, reason };
  };
  const t = parseLockerTopic(topic);
  if (!t || t.kind !== 'cmd') return reject('not a command topic');
  if (t.lockerId !== ctx.lockerId)
    return reject(`topic is for locker ${t.lockerId}, this is ${ctx.lockerId}`);
  const decoded = decodeCommand(payload);
  if (!decoded.ok) {
    // v2: the cloud's notice that it refused one of our messages shares the cmd topic.
    const notice = decodeNotice(payload);
    if (notice.ok && notice.value.lockerId === ctx.lockerId) {
      hooks.cloudRejected?.(notice.value);
      return undefined;
    }
    return reject(decoded.reason);
  }
  const cmd = decoded.value;
  if (cmd.lockerId !== ctx.lockerId)
    return reject(`payload lockerId ${cmd.lockerId} does not match topic`);

  const { store, clock, outbox } = ctx;
  const seen = store.getCommand(cmd.commandId);
  if (seen) {
    // Same commandId again (redelivery or a cloud retry): never execute twice.
    if (seen.status === 'done') outbox.resend(cmd.commandId);
    ctx.log.info({ commandId: cmd.commandId, status: seen.status }, 'duplicate command');
    return undefined;
  }
  const compartment =
    'compartment' in cmd && typeof cmd.compartment === 'number' ? cmd.compartment : null;
  store.insertCommand({
    commandId: cmd.commandId,
    type: cmd.type,
    compartment,
    status: 'executing',
    relayFired: false,
    receivedAt: clock.now(),
    response: null,
    outboxId: null,
  });
  if (Date.parse(cmd.expiresAt) <= clock.now()) {
    outbox.finish(cmd.commandId, cmd.type, {
      status: 'expired',
      ...(compartment !== null ? { compartment } : {}),
    });
    return undefined;
  }
  hooks.track(execute(ctx, hooks, cmd));
  return undefined;
}

/** A command handler's decision; `answeredByFact`: v2, the facts carry the answer (no response). */
type Handled = {
  response: ResponseDraft;
  facts: FactDraft[];
  answeredByFact?: boolean;
  /** Runs once the answer is recorded (or could not be): an open releases the door facts that waited for its outcome. */
  afterRecorded?: () => void;
};

async function execute(ctx: AgentContext, hooks: CommandHooks, cmd: LockerCommand): Promise<void> {
  let result: Handled;
  try {
    result = await dispatch(ctx, hooks, cmd);
  } catch (e) {
    ctx.log.error({ commandId: cmd.commandId, err: (e as Error).message }, 'command failed');
    let fired = true;
    try {
      fired = ctx.store.getCommand(cmd.commandId)?.relayFired ?? true;
    } catch {
      return; // the store is gone: the agent was stopped or crashed mid-command
    }
    result = {
      response: fired
        ? { status: 'unknown_outcome', details: { reason: 'internal_error', relayFired: 'yes' } }
        : { status: 'rejected', details: { reason: 'internal_error' } },
      facts: [
        {
          type: 'fault',
          code: 'agent',
          message: `${cmd.type} failed: ${(e as Error).message}`.slice(0, 300),
        },
      ],
    };
  }
  try {
    if (result.answeredByFact) ctx.outbox.finishWithFact(cmd.commandId, result.facts);
    else ctx.outbox.finish(cmd.commandId, cmd.type as CommandType, result.response, result.facts);
  } catch (e) {
    ctx.log.warn(
      { commandId: cmd.commandId, err: (e as Error).message },
      'could not record the response (agent stopping?)',
    );
  } finally {
    result.afterRecorded?.();
  }
}

async function dispatch(
  ctx: AgentContext,
  hooks: CommandHooks,
  cmd: LockerCommand,
): Promise<Handled> {
  const only = (response: ResponseDraft) => ({ response, facts: [] });
  switch (cmd.type) {
    case 'open': {
      if (cmd.screenRequestId) codeAccepted(ctx, cmd.screenRequestId);
      return handleOpen(ctx, cmd);
    }
    case 'disinfect':
      return ctx.uv.handle(cmd);
    case 'sync':
      return only(await handleSync(ctx, cmd));
    case 'config':
      return only(handleConfig(ctx, cmd, hooks.settingsChanged));
    case 'screen_result':
      return only(handleScreenResult(ctx, cmd));
    case 'courier_session':
      return only(handleCourierSession(ctx, cmd));
    case 'replay': {
      const last = ctx.store.lastSeq();
      const { count, oldestSeq } = ctx.store.requeueSeqRange(
        cmd.fromSeq,
        Math.min(cmd.toSeq ?? last, last),
      );
      ctx.outbox.kick();
      return only({ status: 'ok', details: { replayed: count, oldestSeq, lastSeq: last } });
    }
    case 'reboot':
      ctx.requestReboot((cmd.delaySeconds ?? 0) * 1000);
      return only({ status: 'ok' });
  }
}
