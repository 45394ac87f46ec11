/**
 * The history of a request (who did what when) and the messages a step sends. A step's
 * event row is written in the step's transaction; SMS go out after the commit.
 */
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { Phone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { findUserById } from '../identity/index.ts';
import * as repo from './need.repository.ts';
import type { NeedEventTable, NeedStatus } from './need.table.ts';

/** Who acts on a request. */
export interface Actor {
  userId: string | null;
  kind: NeedEventTable['actor_kind'];
}

export const SYSTEM: Actor = { userId: null, kind: 'system' };

/** Append one step to a request's history. */
export async function recordEvent(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  need: { id: string; community_id: string },
  actor: Actor,
  action: string,
  from: NeedStatus | null,
  to: NeedStatus,
  note: string | null = null,
): Promise<void> {
  const id = newId(deps.clock, deps.random);
  await repo.insertEvent(db, {
    id,
    need_id: need.id,
    community_id: need.community_id,
    at: iso(deps.clock.now()),
    actor_id: actor.userId,
    actor_kind: actor.kind,
    action,
    from_status: from,
    to_status: to,
    note,
  });
  for (const handler of stepHandlers) await handler(db, id);
}

/** A subscriber to every step of every request; runs inside the step's transaction. */
export type NeedStepHandler = (trx: Executor, eventId: string) => Promise<void>;

const stepHandlers = new Set<NeedStepHandler>();

/**
 * Subscribe to every request step (analytics keeps its rollups with it, ADR 0029); a failing
 * handler rolls the step back. Subscribing the same handler twice is a no-op.
 */
export function onNeedStep(handler: NeedStepHandler): void {
  stepHandlers.add(handler);
}

/**
 * Text the given staff members (those with a phone on file). Failures are logged by the
 * SMS adapter's caller and never undo the step that caused them.
 */
export async function textStaff(
  deps: AppDeps,
  userIds: readonly string[],
  text: string,
): Promise<number> {
  let sent = 0;
  for (const id of new Set(userIds)) {
    const u = await findUserById(deps.db, id);
    if (!u?.phone_cipher || u.status !== 'active') continue;
    try {
      await deps.sms.send(deps.vault.decrypt(u.phone_cipher) as Phone, text);
      sent++;
    } catch {
      // The request is stored and escalated either way; the worklist shows it.
    }
  }
  return sent;
}
