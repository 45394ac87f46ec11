/**
 * Everything the agent says to the cloud goes through here. Facts and responses are
 * written to the store first (with their seq, in one transaction with the state change
 * they report) and then delivered in id order with a small in-flight window; a row
 * counts as delivered when the broker acknowledges it. After a reconnect the unsent
 * rows go again, oldest first. Signals are published directly and never stored.
 *
 * A fact or response whose acknowledgement does not come within FACT_ACK_PATIENCE_MS drops
 * the link. MQTT resends an unacknowledged QoS 1 message only on a new connection, and the
 * cloud applies facts in seq order: one PUBLISH lost on a live connection (a middlebox, a
 * broker that dropped it) would otherwise hold every later fact of the locker, replays
 * included, until the connection happened to break (the fault suite's 30-minute lossy run
 * found it: parcels put in were never stored, and their reservations ran out).
 */
import type { CommandType } from '../contract/commands.ts';
import type { LockerFact, LockerSignal } from '../contract/events.ts';
import type { CommandResponse } from '../contract/responses.ts';
import { lockerTopic } from '../contract/topics.ts';
import { type Clock, type Random, iso, newId } from '../kernel/clock.ts';
import type { DeviceLog } from './log.ts';
import type { Link } from './ports/link.ts';
import type { AgentStore } from './ports/store.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A fact before the outbox stamps messageId, lockerId, seq and sentAt on it. */
export type FactDraft = DistributiveOmit<LockerFact, 'messageId' | 'lockerId' | 'seq' | 'sentAt'>;
/** A signal before stamping; expiresAt is derived from the ttl. */
export type SignalDraft = DistributiveOmit<
  LockerSignal,
  'messageId' | 'lockerId' | 'sentAt' | 'expiresAt'
>;
/** The decision of a command handler. */
export type ResponseDraft = Pick<CommandResponse, 'status'> &
  Partial<Pick<CommandResponse, 'compartment' | 'details'>>;

/** Options of the outbox. */
export interface OutboxDeps {
  lockerId: string;
  store: AgentStore;
  link: Link;
  clock: Clock;
  random: Random;
  log: DeviceLog;
  /** Unacknowledged publishes at a time. */
  window?: number;
  /** Sent rows kept for replay. */
  keepSent?: number;
  /** FACT_ACK_PATIENCE_MS unless a test says otherwise. */
  ackPatienceMs?: number;
}

/** How long a signal waits for the broker's acknowledgement before it counts as sent anyway (real time). */
export const SIGNAL_ACK_PATIENCE_MS = 3000;
/** How long a fact or response may wait for its acknowledgement before the link is dropped (real time). */
export const FACT_ACK_PATIENCE_MS = 10_000;

/** Durable, ordered delivery of facts and responses; direct delivery of signals. */
export class Outbox {
  /** Rows published and not yet acknowledged, with when (real ms). */
  private readonly inflight = new Map<number, number>();
  private watchdog: NodeJS.Timeout | undefined;
  private generation = 0;
  private scheduled = false;
  private sentSincePrune = 0;
  private stopped = false;
  private readonly window: number;
  private readonly keepSent: number;
  private readonly evtTopic: string;
  private readonly resTopic: string;

  constructor(private readonly d: OutboxDeps) {
    this.window = d.window ?? 16;
    this.keepSent = d.keepSent ?? 10_000;
    this.evtTopic = lockerTopic(d.lockerId, 'evt');
    this.resTopic = lockerTopic(d.lockerId, 'res');
  }

  /** Store facts, each with the next seq; joins the caller's transaction if there is one. */
  recordFacts(drafts: readonly FactDraft[]): LockerFact[] {
    return this.storeFacts(drafts).map((f) => f.fact);
  }

  /** Store facts, each with the next seq, and say which outbox row holds each. */
  private storeFacts(drafts: readonly FactDraft[]): { fact: LockerFact; outboxId: number }[] {
    const { store, clock, random, lockerId } = this.d;
    return store.atomically(() =>
      drafts.map((draft) => {
        const seq = store.nextSeq();
        const fact = {
          messageId: newId(clock, random),
          lockerId,
          seq,
          sentAt: iso(clock.now()),
          ...draft,
        } as LockerFact;
        const payload = JSON.stringify(fact);
        const outboxId = store.addOutbox({ kind: 'evt', seq, topic: this.evtTopic, payload });
        return { fact, outboxId };
      }),
    );
  }

  /** Store facts and deliver them. */
  emit(...drafts: FactDraft[]): LockerFact[] {
    const facts = this.recordFacts(drafts);
    this.kick();
    return facts;
  }

  /** Record a command's final response (and the facts it reports) in one transaction, then deliver. */
  finish(
    commandId: string,
    commandType: CommandType,
    draft: ResponseDraft,
    facts: readonly FactDraft[] = [],
  ): CommandResponse {
    const { store, clock, random, lockerId } = this.d;
    const response: CommandResponse = {
      messageId: newId(clock, random),
      lockerId,
      sentAt: iso(clock.now()),
      commandId,
      commandType,
      ...draft,
    };
    store.atomically(() => {
      this.recordFacts(facts);
      const payload = JSON.stringify(response);
      const outboxId = store.addOutbox({ kind: 'res', seq: null, topic: this.resTopic, payload });
      store.updateCommand(commandId, { status: 'done', response: payload, outboxId });
    });
    this.kick();
    return response;
  }

  /**
   * Contract v2: an open whose door did something is answered by its `open_outcome` fact,
   * not by a response. Records the facts and marks the command done with that fact as its
   * answer (a resent open publishes the same fact again: see resend).
   */
  finishWithFact(commandId: string, facts: readonly FactDraft[]): LockerFact {
    const { store } = this.d;
    const answer = store.atomically(() => {
      const stored = this.storeFacts(facts);
      const a = stored.find(
        (s) => s.fact.type === 'open_outcome' && s.fact.commandId === commandId,
      );
      if (!a) throw new Error(`no open_outcome answers command ${commandId}`);
      store.updateCommand(commandId, {
        status: 'done',
        response: JSON.stringify(a.fact),
        outboxId: a.outboxId,
      });
      return a.fact;
    });
    this.kick();
    return answer;
  }

  /** A resent command that was already answered: deliver the stored response again unless it is still queued. */
  resend(commandId: string): 'queued' | 'requeued' | 'missing' {
    const { store } = this.d;
    const rec = store.getCommand(commandId);
    if (!rec?.response) return 'missing';
    const pending =
      rec.outboxId !== null &&
      store.pendingOutbox(Number.MAX_SAFE_INTEGER).some((r) => r.id === rec.outboxId);
    if (pending) return 'queued';
    if (rec.outboxId === null || !store.requeue(rec.outboxId)) {
      // v2: an open answered by its open_outcome fact goes again as that fact, same seq (the cloud dedups by seq).
      const fact = JSON.parse(rec.response) as { seq?: unknown };
      const id = store.addOutbox(
        typeof fact.seq === 'number'
          ? { kind: 'evt', seq: fact.seq, topic: this.evtTopic, payload: rec.response }
          : { kind: 'res', seq: null, topic: this.resTopic, payload: rec.response },
      );
      store.updateCommand(commandId, { outboxId: id });
    }
    this.kick();
    return 'requeued';
  }

  /** Publish a signal now; false when offline or the broker did not take it. Never stored. */
  async signal(draft: SignalDraft, ttlSeconds: number): Promise<boolean> {
    const { clock, random, lockerId, link } = this.d;
    if (this.stopped || !link.connected()) return false;
    const now = clock.now();
    const message = {
      messageId: newId(clock, random),
      lockerId,
      sentAt: iso(now),
      expiresAt: iso(now + ttlSeconds * 1000),
      ...draft,
    };
    const published = link.publish(this.evtTopic, JSON.stringify(message)).then(
      () => true,
      () => false,
    );
    // A lost PUBACK must not hang the screen: the message sits in the MQTT client's outgoing store and goes
    // again on reconnect (its expiresAt voids it if late), so after a short wait it counts as sent and the
    // screen waits for the cloud's answer as usual.
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), Math.min(SIGNAL_ACK_PATIENCE_MS, ttlSeconds * 1000));
      timer.unref?.();
    });
    try {
      return await Promise.race([published, patience]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Schedule a delivery pass. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** The link came up: start delivering, now (see flush). */
  onUp(): void {
    this.flush();
  }

  /**
   * Put what is pending on the wire now (up to the window), not after this turn of the event
   * loop: called before a message that counts the facts (a heartbeat's or snapshot's
   * `lastSeq`), so the facts reach the cloud first. One that overtook them made the cloud
   * ask for a needless replay, and every locker's first fact arrived twice at start-up.
   */
  flush(): void {
    if (this.stopped) return;
    this.pump();
  }

  /** The link went down: whatever was in flight goes again after the reconnect. */
  onDown(): void {
    this.generation++;
    this.inflight.clear();
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  /** While something is in flight, check now and then that its acknowledgement is not overdue. */
  private watch(): void {
    if (this.watchdog || this.stopped) return;
    const patience = this.d.ackPatienceMs ?? FACT_ACK_PATIENCE_MS;
    this.watchdog = setTimeout(
      () => {
        this.watchdog = undefined;
        if (this.stopped || this.inflight.size === 0) return;
        const oldest = Math.min(...this.inflight.values());
        if (Date.now() - oldest >= patience && this.d.link.connected()) {
          this.d.log.warn(
            { lockerId: this.d.lockerId, waitedMs: Date.now() - oldest },
            'no acknowledgement from the broker; reconnecting so it is sent again',
          );
          this.d.link.drop();
          return;
        }
        this.watch();
      },
      Math.max(50, patience / 4),
    );
    this.watchdog.unref?.();
  }

  /** Rows not yet acknowledged by the broker. */
  pendingCount(): number {
    return this.d.store.pendingCount();
  }

  /** Resolve once nothing is pending (or after timeoutMs). */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.stopped) return false;
      if (this.inflight.size === 0 && this.pendingCount() === 0) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  /** Stop delivering (agent stop or crash). */
  stop(): void {
    this.stopped = true;
    this.onDown();
  }

  private pump(): void {
    const { link, store, log } = this.d;
    if (this.stopped || !link.connected()) return;
    const free = this.window - this.inflight.size;
    if (free <= 0) return;
    let rows;
    try {
      rows = store
        .pendingOutbox(this.window + this.inflight.size)
        .filter((r) => !this.inflight.has(r.id))
        .slice(0, free);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'outbox read failed');
      return;
    }
    const gen = this.generation;
    for (const row of rows) {
      this.inflight.set(row.id, Date.now());
      this.watch();
      link.publish(row.topic, row.payload).then(
        () => {
          if (this.stopped) return;
          store.markSent(row.id);
          if (++this.sentSincePrune >= 500) {
            this.sentSincePrune = 0;
            store.pruneOutbox(this.keepSent);
          }
          if (gen === this.generation) this.inflight.delete(row.id);
          this.pump();
        },
        () => {
          if (gen === this.generation) this.inflight.delete(row.id);
        },
      );
    }
  }
}
