/**
 * Everything a locker publishes comes through here: decoded against the contract,
 * checked against the topic it arrived on, deduplicated (facts by (locker, seq),
 * responses by commandId, state by revision, presence by connection), and applied in
 * one transaction. A message that fails any check is rejected with a reason and
 * changes nothing.
 */
import {
  type CommandResponse,
  decodeMessage,
  isFact,
  type LockerEvent,
  type LockerSignal,
  type LockerState,
  type LockerStatus,
  parseLockerTopic,
} from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { clearAlert } from './alert.service.ts';
import * as commands from './command.repository.ts';
import * as events from './event.repository.ts';
import { applyFact, applyResponse } from './ingest.effects.ts';
import * as lockers from './locker.repository.ts';
import { handleSignal, type LockerHooks } from './signals.service.ts';

export type IngestResult = { applied: true; what: string } | { applied: false; reason: string };

const rejected = (reason: string): IngestResult => ({ applied: false, reason });

/** Decode, validate and apply one MQTT message from a locker. Never throws for bad input. */
export async function ingest(deps: AppDeps, hooks: LockerHooks, topic: string, payload: Buffer): Promise<IngestResult> {
  const t = parseLockerTopic(topic);
  if (!t || t.kind === 'cmd') return rejected(`not a device topic: ${topic.slice(0, 120)}`);
  const decoded = decodeMessage(t.kind, payload);
  if (!decoded.ok) return rejected(decoded.reason);
  const msg = decoded.value as { lockerId: string };
  if (msg.lockerId !== t.lockerId) return rejected(`lockerId "${msg.lockerId}" does not match the topic's "${t.lockerId}"`);
  const locker = await lockers.findLocker(deps.db, t.lockerId);
  if (!locker || locker.status === 'retired') return rejected(`unknown or retired locker ${t.lockerId}`);

  switch (t.kind) {
    case 'evt': {
      const e = decoded.value as LockerEvent;
      if (!isFact(e)) return handleSignal(deps, hooks, locker, e as LockerSignal);
      return deps.db.transaction().execute(async (trx) => {
        const stored = await events.insertEventOnce(trx, {
          locker_id: locker.id,
          seq: e.seq,
          community_id: locker.community_id,
          type: e.type,
          compartment: 'compartment' in e && typeof e.compartment === 'number' ? e.compartment : null,
          message_id: e.messageId,
          payload: JSON.stringify(e),
          occurred_at: e.sentAt,
          received_at: iso(deps.clock.now()),
        });
        if (!stored) return rejected(`duplicate event ${locker.id}#${e.seq}`);
        await lockers.raiseLastSeq(trx, locker.id, e.seq);
        await touch(trx, deps, locker.id);
        await applyFact(trx, deps, locker, e);
        await hooks.onFact?.(trx, locker, e);
        return { applied: true, what: `event ${e.type} #${e.seq}` } as const;
      });
    }
    case 'res': {
      const r = decoded.value as CommandResponse;
      return deps.db.transaction().execute(async (trx) => {
        const cmd = await commands.recordResponse(trx, r.commandId, locker.id, r.status, JSON.stringify(r), iso(deps.clock.now()));
        if (!cmd) return rejected(`duplicate or unknown response for command ${r.commandId}`);
        await touch(trx, deps, locker.id);
        await applyResponse(trx, deps, locker, cmd, r);
        await hooks.onResponse?.(trx, locker, cmd, r);
        return { applied: true, what: `response ${r.status} to ${cmd.type}` } as const;
      });
    }
    case 'state':
      return applyState(deps, locker, decoded.value as LockerState);
    case 'status':
      return applyStatus(deps, locker, decoded.value as LockerStatus);
  }
}

async function touch(db: Executor, deps: AppDeps, lockerId: string): Promise<void> {
  await lockers.updateLocker(db, lockerId, { last_seen_at: iso(deps.clock.now()) });
}

/** The retained snapshot: applied only when its revision is newer than the last one applied. */
async function applyState(deps: AppDeps, locker: lockers.LockerRow, s: LockerState): Promise<IngestResult> {
  const now = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const fresh = await lockers.advanceReportedRevision(trx, locker.id, s.revision, { agent_version: s.agentVersion, last_seen_at: now, updated_at: now });
    if (!fresh) return rejected(`stale state revision ${s.revision} (have ${locker.reported_revision})`);
    const known = new Map((await lockers.listCompartments(trx, locker.id)).map((c) => [c.number, c]));
    for (const c of s.compartments) {
      const mine = known.get(c.compartment);
      if (!mine) continue;
      const next = { door: c.door, occupied: c.occupied === null ? 'unknown' : c.occupied ? 'yes' : 'no', uv: c.uv } as const;
      if (mine.door !== next.door || mine.occupied !== next.occupied || mine.uv !== next.uv) {
        await lockers.updateCompartment(trx, locker.id, c.compartment, { ...next, updated_at: now });
      }
    }
    return { applied: true, what: `state revision ${s.revision}` } as const;
  });
}

/**
 * Presence. An `offline` (usually the Last Will) only counts when it belongs to the
 * connection we last saw come online; a late will from an older connection is stale.
 */
async function applyStatus(deps: AppDeps, locker: lockers.LockerRow, s: LockerStatus): Promise<IngestResult> {
  const now = iso(deps.clock.now());
  if (s.status === 'offline' && locker.connection_id !== null && s.connectionId !== locker.connection_id) {
    return rejected(`stale offline for connection ${s.connectionId}`);
  }
  if (s.status === 'online' && locker.presence === 'online' && locker.connection_id === s.connectionId) {
    return rejected(`repeated online for connection ${s.connectionId}`);
  }
  return deps.db.transaction().execute(async (trx) => {
    await lockers.updateLocker(trx, locker.id, { presence: s.status, presence_changed_at: now, connection_id: s.connectionId, last_seen_at: now, updated_at: now });
    if (s.status === 'online') await clearAlert(trx, deps, locker.id, 'offline', null);
    return { applied: true, what: `presence ${s.status}` } as const;
  });
}
