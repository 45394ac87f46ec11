/**
 * Everything a locker publishes comes through here: decoded against the contract,
 * checked against the topic it arrived on, deduplicated (facts by (locker, seq),
 * responses by commandId, state by revision, presence by connection), and applied in
 * one transaction. A message that fails any check is rejected with a reason and
 * changes nothing.
 *
 * Across nodes (shared subscriptions deal one locker's messages out to several nodes)
 * each transaction first locks the locker's row, so one locker's messages apply one at
 * a time cluster-wide; and a fact that overtook its predecessor (seq > last + 1) waits
 * briefly for it, so facts apply in seq order (ADR 0016). A predecessor that does not
 * come was lost (acknowledged by a broker or a node that died before applying it): the
 * fact is turned away unapplied and the locker is asked at once to replay from the gap,
 * so facts still apply in order, one replay round trip later (ADR 0014).
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
import { enqueueCommand, stableCommandId } from './command.service.ts';
import * as events from './event.repository.ts';
import { applyFact, applyResponse } from './ingest.effects.ts';
import { lockLocker } from './ingest.repository.ts';
import * as lockers from './locker.repository.ts';
import { pushUvPolicy } from './uv.service.ts';
import { handleSignal, type LockerHooks } from './signals.service.ts';

export type IngestResult = { applied: true; what: string } | { applied: false; reason: string };

const rejected = (reason: string): IngestResult => ({ applied: false, reason });

/** How ingest behaves on a node that shares the device topics with other nodes. */
export interface IngestOptions {
  /**
   * How long a fact whose predecessor has not been stored yet waits for it (ms). The
   * predecessor is usually being applied by another node right now; if it was lost
   * instead, the fact is turned away after the wait and a replay from the gap is asked
   * for. 0 (one node: the broker keeps one connection's messages in order) asks at once.
   */
  orderWaitMs?: number;
}

/** Poll interval while a fact waits for its predecessor. */
const ORDER_POLL_MS = 10;

/** Decode, validate and apply one MQTT message from a locker. Never throws for bad input. */
export async function ingest(
  deps: AppDeps,
  hooks: LockerHooks,
  topic: string,
  payload: Buffer,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const t = parseLockerTopic(topic);
  if (!t || t.kind === 'cmd') return rejected(`not a device topic: ${topic.slice(0, 120)}`);
  const decoded = decodeMessage(t.kind, payload);
  if (!decoded.ok) return rejected(decoded.reason);
  const msg = decoded.value as { lockerId: string };
  if (msg.lockerId !== t.lockerId)
    return rejected(`lockerId "${msg.lockerId}" does not match the topic's "${t.lockerId}"`);
  const locker = await lockers.findLocker(deps.db, t.lockerId);
  if (!locker || locker.status === 'retired')
    return rejected(`unknown or retired locker ${t.lockerId}`);

  switch (t.kind) {
    case 'evt': {
      const e = decoded.value as LockerEvent;
      // Real time, not deps.clock: this waits for another node's transaction, not for domain time.
      const giveUpAt = Date.now() + (opts.orderWaitMs ?? 0);
      if (!isFact(e)) {
        // A heartbeat overtaking facts still being applied elsewhere would ask for a needless replay.
        if (e.type === 'heartbeat') await caughtUp(deps, locker.id, e.lastSeq, giveUpAt);
        return handleSignal(deps, hooks, locker, e as LockerSignal);
      }
      for (;;) {
        await caughtUp(deps, locker.id, e.seq - 1, giveUpAt);
        const result = await deps.db
          .transaction()
          .execute(async (trx): Promise<IngestResult | 'wait'> => {
            const current = await lockLocker(trx, locker.id);
            if (current && e.seq > current.last_seq + 1) {
              if (Date.now() < giveUpAt) return 'wait';
              const turnedAway = await askToFillGap(trx, deps, locker, current.last_seq + 1, e.seq);
              if (turnedAway) return turnedAway;
            }
            const stored = await events.insertEventOnce(trx, {
              locker_id: locker.id,
              seq: e.seq,
              community_id: locker.community_id,
              type: e.type,
              compartment:
                'compartment' in e && typeof e.compartment === 'number' ? e.compartment : null,
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
        if (result === 'wait') continue;
        if (!result.applied) deps.outbox.kick(); // a replay may have been asked for
        return result;
      }
    }
    case 'res': {
      const r = decoded.value as CommandResponse;
      return deps.db.transaction().execute(async (trx) => {
        await lockLocker(trx, locker.id);
        const cmd = await commands.recordResponse(
          trx,
          r.commandId,
          locker.id,
          r.status,
          JSON.stringify(r),
          iso(deps.clock.now()),
        );
        if (!cmd) return rejected(`duplicate or unknown response for command ${r.commandId}`);
        await touch(trx, deps, locker.id);
        await applyResponse(trx, deps, locker, cmd, r);
        await hooks.onResponse?.(trx, locker, cmd, r);
        return { applied: true, what: `response ${r.status} to ${cmd.type}` } as const;
      });
    }
    case 'state': {
      const st = decoded.value as LockerState;
      // Facts older than the snapshot may still be applying on another node: give them the same wait as a fact.
      await caughtUp(deps, locker.id, st.lastSeq, Date.now() + (opts.orderWaitMs ?? 0));
      const result = await applyState(deps, locker, st);
      if (result.applied) deps.outbox.kick(); // a replay may have been asked for
      return result;
    }
    case 'status':
      return applyStatus(deps, hooks, locker, decoded.value as LockerStatus);
  }
}

/** A gap still open this long after its replay was asked for is asked about again. */
export const GAP_REASK_MS = 15_000;

/** One replay per gap and period: asked by whichever of a fact or a snapshot notices the gap first. */
const gapReplayId = (deps: AppDeps, lockerId: string, fromSeq: number) =>
  stableCommandId(
    'replay-gap',
    lockerId,
    String(fromSeq),
    String(Math.floor(deps.clock.now() / GAP_REASK_MS)),
  );

/**
 * A fact arrived whose predecessors from `fromSeq` were never stored. Ask the locker to
 * replay from there (once per GAP_REASK_MS) and turn the fact away: the replay brings it
 * again, in order. Only when the locker answers that it no longer keeps those facts
 * (its oldest kept fact is newer than the gap) is the fact applied over the gap: null.
 */
async function askToFillGap(
  trx: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  fromSeq: number,
  seq: number,
): Promise<IngestResult | null> {
  const { command, created } = await enqueueCommand(trx, deps, {
    lockerId: locker.id,
    communityId: locker.community_id,
    body: { type: 'replay', fromSeq },
    commandId: gapReplayId(deps, locker.id, fromSeq),
    reason: `fact #${seq} arrived before #${fromSeq}`,
  });
  if (created)
    return rejected(
      `fact #${seq} arrived before #${fromSeq}; asked the locker to replay from #${fromSeq}`,
    );
  if (command.status === 'answered') {
    const oldest = (JSON.parse(command.response ?? '{}') as { details?: { oldestSeq?: unknown } })
      .details?.oldestSeq;
    if (typeof oldest === 'number' && (oldest === 0 || oldest > fromSeq)) return null;
  }
  return rejected(`fact #${seq} waits for the replay from #${fromSeq}`);
}

/**
 * Wait until the locker's facts up to `seq` are stored or time is up. Polls with a plain
 * read: polling under the row lock would queue behind the very transaction we wait for.
 */
async function caughtUp(
  deps: AppDeps,
  lockerId: string,
  seq: number,
  giveUpAt: number,
): Promise<void> {
  // Backs off from ORDER_POLL_MS to 250 ms: under a backlog many lockers wait at once, and each poll is a query.
  for (
    let pause = ORDER_POLL_MS;
    Date.now() < giveUpAt && ((await lockers.findLocker(deps.db, lockerId))?.last_seq ?? 0) < seq;
    pause = Math.min(250, pause * 2)
  ) {
    await new Promise((r) => setTimeout(r, pause));
  }
}

async function touch(db: Executor, deps: AppDeps, lockerId: string): Promise<void> {
  await lockers.updateLocker(db, lockerId, { last_seen_at: iso(deps.clock.now()) });
}

/** The retained snapshot: applied only when its revision is newer than the last one applied. */
async function applyState(
  deps: AppDeps,
  locker: lockers.LockerRow,
  s: LockerState,
): Promise<IngestResult> {
  const now = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const current = (await lockLocker(trx, locker.id)) ?? locker;
    const fresh = await lockers.advanceReportedRevision(trx, locker.id, s.revision, {
      agent_version: s.agentVersion,
      last_seen_at: now,
      updated_at: now,
    });
    if (!fresh)
      return rejected(`stale state revision ${s.revision} (have ${current.reported_revision})`);
    // The snapshot counts facts we never stored (lost with a broker or a node): ask for them now rather than at the next heartbeat.
    if (s.lastSeq > current.last_seq)
      await enqueueCommand(trx, deps, {
        lockerId: locker.id,
        communityId: locker.community_id,
        body: { type: 'replay', fromSeq: current.last_seq + 1 },
        commandId: gapReplayId(deps, locker.id, current.last_seq + 1),
        reason: `state counts facts to #${s.lastSeq}`,
      });
    // Facts newer than the snapshot were applied already (another node was quicker): they, not the snapshot, say how the compartments are.
    if (s.lastSeq < current.last_seq)
      return {
        applied: true,
        what: `state revision ${s.revision}; compartments kept (snapshot at #${s.lastSeq}, facts applied to #${current.last_seq})`,
      } as const;
    const known = new Map(
      (await lockers.listCompartments(trx, locker.id)).map((c) => [c.number, c]),
    );
    for (const c of s.compartments) {
      const mine = known.get(c.compartment);
      if (!mine) continue;
      const next = {
        door: c.door,
        occupied: c.occupied === null ? 'unknown' : c.occupied ? 'yes' : 'no',
        uv: c.uv,
      } as const;
      if (mine.door !== next.door || mine.occupied !== next.occupied || mine.uv !== next.uv) {
        await lockers.updateCompartment(trx, locker.id, c.compartment, {
          ...next,
          updated_at: now,
        });
      }
    }
    return { applied: true, what: `state revision ${s.revision}` } as const;
  });
}

/**
 * Presence. An `offline` (usually the Last Will) only counts when it belongs to the
 * connection we last saw come online; a late will from an older connection is stale.
 */
async function applyStatus(
  deps: AppDeps,
  hooks: LockerHooks,
  locker: lockers.LockerRow,
  s: LockerStatus,
): Promise<IngestResult> {
  const now = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    // Checked against the locked row: another node may have applied this locker's presence a moment ago.
    const current = (await lockLocker(trx, locker.id)) ?? locker;
    if (
      s.status === 'offline' &&
      current.connection_id !== null &&
      s.connectionId !== current.connection_id
    ) {
      return rejected(`stale offline for connection ${s.connectionId}`);
    }
    if (
      s.status === 'online' &&
      current.presence === 'online' &&
      current.connection_id === s.connectionId
    ) {
      return rejected(`repeated online for connection ${s.connectionId}`);
    }
    await lockers.updateLocker(trx, locker.id, {
      presence: s.status,
      presence_changed_at: now,
      connection_id: s.connectionId,
      last_seen_at: now,
      updated_at: now,
    });
    if (s.status === 'online') {
      await clearAlert(trx, deps, locker.id, 'offline', null);
      await pushUvPolicy(trx, deps, locker, s.connectionId);
      await hooks.onOnline?.(trx, locker);
    }
    return { applied: true, what: `presence ${s.status}` } as const;
  });
}
