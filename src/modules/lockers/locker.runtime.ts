/**
 * The lockers module's live side: consumes device messages from the broker, dispatches
 * queued commands, and raises offline alerts. Messages of one locker are applied in
 * arrival order; different lockers proceed in parallel. With shared subscriptions one
 * locker's messages reach several nodes and each message proceeds on its own: ingest's
 * row lock and seq wait keep them in order cluster-wide, and the offline sweep runs as a
 * once-per-period cluster job.
 */
import type { FastifyBaseLogger } from 'fastify';
import {
  allLockersFilter,
  parseLockerTopic,
  sharedFilter,
  type TopicKind,
} from '../../contract/index.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps, OutboxCommand, OutboxSignal } from '../../platform/deps.ts';
import type { JobScheduler } from '../../platform/jobs/scheduler.ts';
import type { AckedHandler } from '../../platform/mqtt/acks.ts';
import type { DeviceTransport } from '../../platform/mqtt/transport.ts';
import { raiseAlert } from './alert.service.ts';
import { CommandDispatcher } from './dispatcher.runtime.ts';
import { ingest, type IngestResult } from './ingest.service.ts';
import { writeSightingsBehind } from './last-seen.service.ts';
import { lockersOfflineSince } from './locker.repository.ts';
import { RejectionNotifier } from './rejection.service.ts';
import type { LockerHooks } from './signals.service.ts';

const DEVICE_KINDS: TopicKind[] = ['res', 'evt', 'state', 'status'];

/** The topic filters the node consumes: every locker's device topics, through `$share/antnest/…` when shared. */
export function deviceFilters(shared: boolean): string[] {
  return DEVICE_KINDS.map((k) => (shared ? sharedFilter('antnest', k) : allLockersFilter(k)));
}

/** An OutboxSignal that forwards to the dispatcher once one is running (buildApp needs it first). */
export class OutboxRelay implements OutboxSignal {
  private target: OutboxSignal | null = null;
  attach(t: OutboxSignal | null): void {
    this.target = t;
  }
  kick(): void {
    this.target?.kick();
  }
  queued(): void {
    this.target?.queued?.();
  }
  deliver(c: OutboxCommand): void {
    this.target?.deliver?.(c);
  }
}

export interface LockerRuntimeOptions {
  /** Consume through `$share/antnest/…` so each message reaches one of several nodes (MQTT 5 brokers). */
  shared: boolean;
  offlineAlertMinutes: number;
  pollMs?: number;
  /** Run the offline sweep as a cluster-wide job (once per period across nodes) instead of on this node's own timer. */
  jobs?: JobScheduler;
  /**
   * How long a fact waits for its predecessor handled by another node (ms); default 5 s when shared, else 0.
   * Normally the wait ends within milliseconds. When it runs out the fact is turned away and a replay from
   * the gap is asked for, so a bound shorter than the ingest backlog costs a redundant replay, never order.
   */
  orderWaitMs?: number;
}

/** Default wait for an overtaken fact's predecessor on a node sharing the device topics. */
export const SHARED_ORDER_WAIT_MS = 5_000;

export interface LockerRuntime {
  dispatcher: CommandDispatcher;
  /** Messages applied, rejected (acknowledged, changed nothing) and failed (not acknowledged) since start. */
  stats: { applied: number; rejected: number; failed: number };
  /** Resolves when every message received so far has been applied (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Subscribe, dispatch and sweep until stop(). */
export async function startLockerRuntime(
  deps: AppDeps,
  relay: OutboxRelay,
  transport: DeviceTransport,
  log: FastifyBaseLogger,
  hooks: LockerHooks,
  opts: LockerRuntimeOptions,
): Promise<LockerRuntime> {
  const dispatcher = new CommandDispatcher(
    deps,
    (topic, payload) => transport.publish(topic, payload),
    log,
    { pollMs: opts.pollMs ?? 1000, batch: 200 },
  );
  const stats = { applied: 0, rejected: 0, failed: 0 };
  const notices = new RejectionNotifier(deps, (topic, payload) =>
    transport.publish(topic, payload),
  );
  const chains = new Map<string, Promise<void>>();
  // Heartbeats, snapshots and status changes that only say "alive" are written behind, together.
  const sightings = writeSightingsBehind(deps, log);
  const ingestOpts = { orderWaitMs: opts.orderWaitMs ?? (opts.shared ? SHARED_ORDER_WAIT_MS : 0) };

  // Acknowledged (PUBACK) only once ingest has an answer: applied and committed, or turned away on purpose
  // (invalid, duplicate, waiting for a replay). A message whose transaction failed is not acknowledged: an external
  // broker delivers it again on this client's next connection (or to another node sharing the subscription); the
  // embedded broker closes the locker's connection and the locker resends it.
  const apply = async (
    topic: string,
    payload: Buffer,
    ack: () => void,
    nack: (err: unknown) => void,
  ): Promise<void> => {
    let result: IngestResult;
    try {
      result = await ingest(deps, hooks, topic, payload, ingestOpts);
    } catch (err) {
      log.error(
        { err, topic },
        'locker message failed; it changed nothing and stays unacknowledged',
      );
      stats.failed++;
      nack(err);
      return;
    }
    ack();
    if (result.applied) {
      stats.applied++;
      if (topic.endsWith('/evt') || topic.endsWith('/res')) relay.kick(); // answers to screen requests, replays
    } else {
      stats.rejected++;
      log.warn({ topic, reason: result.reason }, 'locker message rejected');
      // Contract v2: the locker hears of it too.
      notices
        .notify(topic, payload, result.reason)
        .catch((err: unknown) => log.warn({ err, topic }, 'rejection notice not sent'));
    }
  };

  const running = new Set<Promise<void>>();
  const onMessage: AckedHandler = (topic, payload, ack, nack) => {
    // Shared: no chain. The broker deals a locker's messages to several nodes, so a fact waiting here for its
    // predecessor must not hold back that predecessor's replay queued behind it on this node (head-of-line
    // blocking across nodes); ingest's row lock and seq check keep the order instead.
    if (opts.shared) {
      const p = apply(topic, payload, ack, nack);
      running.add(p);
      void p.finally(() => running.delete(p));
      return;
    }
    // One node alone: one locker's messages in a chain, in arrival order (the broker keeps a connection's order).
    const lockerId = parseLockerTopic(topic)?.lockerId ?? '?';
    const next = (chains.get(lockerId) ?? Promise.resolve()).then(() =>
      apply(topic, payload, ack, nack),
    );
    chains.set(lockerId, next);
    void next.finally(() => {
      if (chains.get(lockerId) === next) chains.delete(lockerId);
    });
  };
  const consumer = await transport.consume(deviceFilters(opts.shared), onMessage);

  relay.attach(dispatcher);
  dispatcher.start();

  let sweep: NodeJS.Timeout | undefined;
  if (opts.jobs) {
    opts.jobs.add({
      name: 'lockers.offline-sweep',
      everyMs: 30_000,
      run: () => offlineSweep(deps, opts.offlineAlertMinutes),
    });
  } else {
    sweep = setInterval(() => {
      void offlineSweep(deps, opts.offlineAlertMinutes).catch((err) =>
        log.error({ err }, 'offline sweep failed'),
      );
    }, 30_000);
    sweep.unref();
  }

  return {
    dispatcher,
    stats,
    idle: async () => {
      // Only what has arrived so far: a busy fleet never goes quiet, so "until empty" could wait forever.
      await Promise.all([...chains.values(), ...running]);
    },
    stop: async () => {
      clearInterval(sweep);
      // Stop taking messages before letting go of the handler (transport.ts says why).
      await consumer.stop().catch((err: unknown) => log.warn({ err }, 'unsubscribe failed'));
      relay.attach(null);
      await dispatcher.stop();
      await Promise.all([...chains.values(), ...running]);
      consumer.release();
      await sightings.stop();
    },
  };
}

/** Raise an alert for each locker offline longer than the threshold. */
export async function offlineSweep(deps: AppDeps, minutes: number): Promise<number> {
  const before = iso(deps.clock.now() - minutes * 60_000);
  const rows = await lockersOfflineSince(deps.db, before);
  for (const l of rows) {
    await raiseAlert(deps.db, deps, {
      communityId: l.community_id,
      lockerId: l.id,
      compartment: null,
      kind: 'offline',
      message: `Locker ${l.name} has been offline since ${l.presence_changed_at} (more than ${minutes} minutes).`,
    });
  }
  return rows.length;
}
