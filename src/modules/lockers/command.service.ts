/**
 * Queueing commands for lockers. A command is written to the outbox in the same
 * transaction as the change that needs it; the dispatcher publishes it afterwards,
 * retries until the device answers, and expires it when its time runs out.
 */
import { createHash } from 'node:crypto';
import { type CommandType, decodeCommand, type LockerCommand } from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { afterCommit, commitsLater } from '../../db/transact.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import * as commands from './command.repository.ts';

/** How long each command type stays executable by default. */
export const COMMAND_TTL_SECONDS: Record<CommandType, number> = {
  open: 60,
  disinfect: 300,
  sync: 3600,
  config: 24 * 3600,
  reboot: 600,
  replay: 3600,
  screen_result: 30,
  courier_session: 30,
};

/** The command fields after the envelope, e.g. { type: 'open', compartment: 3, reason: 'staff' }. */
export type CommandBody = {
  [K in LockerCommand['type']]: Omit<
    Extract<LockerCommand, { type: K }>,
    'messageId' | 'lockerId' | 'sentAt' | 'commandId' | 'expiresAt'
  >;
}[LockerCommand['type']];

export interface EnqueueInput {
  lockerId: string;
  communityId: string;
  body: CommandBody;
  /** Stable id for idempotent callers (e.g. derived from a screen request); random otherwise. */
  commandId?: string;
  ttlSeconds?: number;
  requestedBy?: string | null;
  reason?: string | null;
}

/** Seconds until attempt n+1: 5, 10, 20, 40, 60, 60… */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 5 * 2 ** Math.max(0, attempts - 1));
}

/** A deterministic command id from a natural key, so retries of the same request enqueue once. */
export function stableCommandId(...parts: string[]): string {
  return `c-${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 40)}`;
}

/**
 * Queue a command inside the caller's transaction. The body is checked against the
 * published contract first, so the cloud never sends a message the device would reject.
 * Returns the command row (the existing one, created = false, when commandId was already queued).
 */
export async function enqueueCommand(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'> & Partial<Pick<AppDeps, 'outbox'>>,
  input: EnqueueInput,
): Promise<{ command: commands.CommandRow; created: boolean }> {
  const now = ctx.clock.now();
  const id = input.commandId ?? newId(ctx.clock, ctx.random);
  const expiresAt = iso(now + (input.ttlSeconds ?? COMMAND_TTL_SECONDS[input.body.type]) * 1000);
  const probe = decodeCommand({
    ...input.body,
    messageId: id,
    lockerId: input.lockerId,
    sentAt: iso(now),
    commandId: id,
    expiresAt,
  });
  if (!probe.ok)
    throw new AppError(
      'validation_failed',
      `This command would break the locker contract: ${probe.reason}`,
    );
  const row: commands.CommandRow = {
    id,
    community_id: input.communityId,
    locker_id: input.lockerId,
    type: input.body.type,
    compartment:
      'compartment' in input.body && typeof input.body.compartment === 'number'
        ? input.body.compartment
        : null,
    body: JSON.stringify(input.body),
    status: 'pending',
    attempts: 0,
    next_attempt_at: iso(now),
    expires_at: expiresAt,
    response_status: null,
    response: null,
    requested_by: input.requestedBy ?? null,
    reason: input.reason ?? null,
    created_at: iso(now),
    answered_at: null,
  };
  // Inside `transact` this node publishes the command itself right after the commit: the row goes
  // in already leased as its first attempt, so no dispatch round claims it (the poller only retries
  // it if the publish is lost). Elsewhere it waits, pending, for the dispatch round a kick starts.
  const outbox = ctx.outbox;
  const direct = outbox?.deliver !== undefined && commitsLater(db);
  if (direct) {
    row.status = 'sent';
    row.attempts = 1;
    row.next_attempt_at = iso(now + retryDelaySeconds(1) * 1000);
  }
  if (await commands.insertCommand(db, row)) {
    if (direct) afterCommit(db, () => outbox.deliver!(row));
    else outbox?.queued?.();
    return { command: row, created: true };
  }
  return { command: (await commands.findCommand(db, id))!, created: false };
}
