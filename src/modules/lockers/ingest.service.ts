/**
 * Everything a locker publishes comes through here: decoded against the contract,
 * checked against the topic it arrived on, deduplicated (facts by (locker, seq),
 * responses by commandId, state by revision, presence by connection), and applied in
 * one transaction. A message that fails any check is rejected with a reason and
 * changes nothing.
 *
 * Across nodes (shared subscriptions deal one locker's messages out to several nodes)
 * each transaction first locks the locker's row (for a fact in order, by the very update
 * that moves `last_seq` to it), so one locker's messages apply one at
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
  type LockerFact,
  type LockerSignal,
  type LockerState,
  type LockerStatus,
  parseLockerTopic,
} from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { transact } from '../../db/transact.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import * as commands from './command.repository.ts';
import * as events from './event.repository.ts';
import { askToFillGap, caughtUp } from './ingest-order.service.ts';
import { sawLocker } from './last-seen.service.ts';
import { applyFact, applyResponse } from './ingest.effects.ts';
import { lockLocker } from './ingest.repository.ts';
import type { IngestResult } from './ingest.types.ts';
import * as lockers from './locker.repository.ts';
import { applyState, applyStatus } from './presence.service.ts';
import { handleSignal, type LockerHooks } from './signals.service.ts';
import { startAnnouncedCycle } from './uv.effects.ts';

export type { IngestResult } from './ingest.types.ts';
export { GAP_REASK_MS } from './ingest-order.service.ts';

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
  const gone = (l: lockers.LockerRow | undefined): l is undefined => !l || l.status === 'retired';
  const refused = rejected(`unknown or retired locker ${t.lockerId}`);

  // Facts and responses read the locker once, inside their transaction (locked on PostgreSQL).
  if (t.kind === 'evt' && isFact(decoded.value as LockerEvent)) {
    const e = decoded.value as LockerFact;
    // Real time, not deps.clock: this waits for another node's transaction, not for domain time.
    const giveUpAt = Date.now() + (opts.orderWaitMs ?? 0);
    for (;;) {
      await caughtUp(deps, t.lockerId, e.seq - 1, giveUpAt);
      const result = await transact(deps.db, async (trx): Promise<IngestResult | 'wait'> => {
        // The usual fact is the locker's next: moving last_seq to it locks the row and reads it.
        let locker = await lockers.takeNextSeq(trx, t.lockerId, e.seq, iso(deps.clock.now()));
        const moved = locker !== undefined;
        if (!locker) {
          locker = await lockLocker(trx, t.lockerId);
          if (gone(locker)) return refused;
          if (e.seq > locker.last_seq + 1) {
            if (Date.now() < giveUpAt) return 'wait';
            const turnedAway = await askToFillGap(trx, deps, locker, locker.last_seq + 1, e.seq);
            if (turnedAway) return turnedAway;
          }
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
        if (!moved) await sighted(trx, deps, locker, e.seq);
        const compartment = await applyFact(trx, deps, locker, e);
        await hooks.onFact?.(trx, locker, e, compartment);
        await startAnnouncedCycle(trx, deps, locker, e, compartment);
        // v2 answers with the fact; one carrying v2's relayFired answers even before the locker's
        // hello heartbeat has recorded v2 (else its resends, the same fact again, would be duplicates).
        if (
          e.type === 'open_outcome' &&
          (locker.contract_version === 'v2' || e.relayFired !== undefined)
        )
          await outcomeAnswers(trx, deps, hooks, locker, e);
        return { applied: true, what: `event ${e.type} #${e.seq}` } as const;
      });
      if (result === 'wait') continue;
      if (!result.applied) deps.outbox.kick(); // a replay may have been asked for
      return result;
    }
  }
  if (t.kind === 'res') {
    const r = decoded.value as CommandResponse;
    return transact(deps.db, async (trx) => {
      const locker = await lockLocker(trx, t.lockerId);
      if (gone(locker)) return refused;
      const cmd = await commands.recordResponse(
        trx,
        r.commandId,
        locker.id,
        r.status,
        JSON.stringify(r),
        iso(deps.clock.now()),
      );
      if (!cmd) return rejected(`duplicate or unknown response for command ${r.commandId}`);
      await sighted(trx, deps, locker, null);
      await applyResponse(trx, deps, locker, cmd, r);
      await hooks.onResponse?.(trx, locker, cmd, r);
      return { applied: true, what: `response ${r.status} to ${cmd.type}` } as const;
    });
  }

  // A heartbeat or snapshot that overtook facts still being applied on another node would ask
  // for a needless replay (or drop a snapshot): it gives them a fact's wait first, then reads
  // the locker once, after the wait, so what it compares with is current.
  const counts =
    t.kind === 'state'
      ? (decoded.value as LockerState).lastSeq
      : t.kind === 'evt' && (decoded.value as LockerEvent).type === 'heartbeat'
        ? (decoded.value as Extract<LockerSignal, { type: 'heartbeat' }>).lastSeq
        : null;
  if (counts !== null)
    await caughtUp(deps, t.lockerId, counts, Date.now() + (opts.orderWaitMs ?? 0));
  // From memory on SQLite (locker-rows.ts): an idle fleet's heartbeats read nothing.
  const locker = await lockers.findLockerCached(deps.db, t.lockerId);
  if (gone(locker)) return refused;
  switch (t.kind) {
    case 'evt':
      return handleSignal(deps, hooks, locker, decoded.value as LockerSignal);
    case 'state': {
      const result = await applyState(deps, locker, decoded.value as LockerState);
      if (result.applied) deps.outbox.kick(); // a replay may have been asked for
      return result;
    }
    case 'status':
      return applyStatus(deps, hooks, locker, decoded.value as LockerStatus);
  }
}

/**
 * Contract v2: a locker's `open_outcome` is its answer to the `open` (it sends no `res`
 * for it), so it settles the command as the response did: status, details, the parcel
 * hooks. The fact's own effects (door, jam alert) were applied by applyFact, so the
 * response's are not repeated. A command already answered (a `res` came first) is left.
 */
async function outcomeAnswers(
  trx: Executor,
  deps: AppDeps,
  hooks: LockerHooks,
  locker: lockers.LockerRow,
  f: LockerFact & { type: 'open_outcome' },
): Promise<void> {
  const details: CommandResponse['details'] = {};
  if (f.relayFired) details.relayFired = f.relayFired;
  if (f.doorNow) details.doorNow = f.doorNow;
  if (f.detectionMs !== undefined) details.detectionMs = f.detectionMs;
  const r: CommandResponse = {
    messageId: f.messageId,
    lockerId: f.lockerId,
    sentAt: f.sentAt,
    commandId: f.commandId,
    commandType: 'open',
    status: f.outcome,
    compartment: f.compartment,
    details,
  };
  const now = iso(deps.clock.now());
  const cmd = await commands.recordResponse(
    trx,
    r.commandId,
    locker.id,
    r.status,
    JSON.stringify(r),
    now,
    'open',
  );
  if (cmd) await hooks.onResponse?.(trx, locker, cmd, r);
}

/**
 * The locker was heard from: raise `last_seq` to a new fact's seq (conditional on the value
 * read under the lock, so a second node's concurrent write cannot be overwritten) and bring
 * `last_seen_at` along. `last_seen_at` alone is kept to the minute (as for heartbeats): a
 * message within a minute of the last sighting that advances nothing writes nothing.
 */
async function sighted(
  trx: Executor,
  deps: AppDeps,
  locker: lockers.LockerRow,
  seq: number | null,
): Promise<void> {
  const nowMs = deps.clock.now();
  if (seq !== null && seq > locker.last_seq) {
    await lockers.advanceLastSeq(trx, locker.id, locker.last_seq, seq, iso(nowMs));
    return;
  }
  await sawLocker(trx, deps, locker, nowMs);
}
