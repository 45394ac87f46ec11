/**
 * Delivers queued commands. A command queued inside `transact` arrives already leased and
 * is published by `deliver` right after its commit, with no round at all. Otherwise a
 * round claims due commands, marks the attempt (which leases them until the next retry
 * time) and commits, then publishes them at QoS 1. Kicks start a round only when this
 * node queued a command for one since the last round; the poller's rounds (every pollMs)
 * retry lost publishes, expire, and pick up what other nodes queued. Nothing is held open
 * across network I/O; a lost publish is retried when its lease runs out. The device
 * deduplicates by commandId, so a retry never acts twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import { encodeMessage, type LockerCommand, lockerTopic } from '../../contract/index.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps, OutboxCommand, OutboxSignal } from '../../platform/deps.ts';
import { retryDelaySeconds } from './command.service.ts';
import * as commands from './command.repository.ts';

/** Publishes one message at QoS 1; rejects when the broker did not take it. */
export type Publish = (topic: string, payload: Buffer) => Promise<void>;

export { retryDelaySeconds };

export class CommandDispatcher implements OutboxSignal {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** A command may wait for a round (queued here, a round failed or hit its batch, or the poller's turn). */
  private waiting = true;
  /** This node queued a command for a round (or the last round hit its batch): the round claims without asking first. */
  private expectWork = false;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'random'>,
    private readonly publish: Publish,
    private readonly log: FastifyBaseLogger,
    private readonly opts: { pollMs: number; batch: number } = { pollMs: 1000, batch: 200 },
  ) {}

  /** Poll for due retries and expiries until stop(). */
  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.poll(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Settles when the round in progress (if any) is done. */
  async idle(): Promise<void> {
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** The poller's round: always runs (retries, expiries, other nodes' commands). */
  poll(): void {
    this.waiting = true;
    this.kick();
  }

  /** A command was queued for a round: the next kick runs one. */
  queued(): void {
    this.waiting = true;
    this.expectWork = true;
  }

  /** Publish a committed command that was inserted already leased (see enqueueCommand). */
  deliver(c: OutboxCommand): void {
    if (this.stopped) return; // leased: the poller of whichever node runs next sends it when the lease ends
    void this.send(c);
  }

  /** Run a round soon when one may find work; rounds never overlap, and a kick during a round runs one more. */
  kick(): void {
    if (this.stopped || !this.waiting) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      this.waiting = false;
      const expected = this.expectWork;
      this.expectWork = false;
      try {
        const n = await this.runOnce(expected);
        if (n >= this.opts.batch) this.again = this.waiting = this.expectWork = true;
      } catch (err) {
        this.waiting = true;
        this.log.error({ err }, 'command dispatch round failed');
      }
    } while (this.again && !this.stopped);
  }

  /**
   * One round: expire, claim, publish. Returns how many commands were published. Unless work
   * is `expected`, it first asks whether anything is due, and a round that finds nothing opens
   * no transaction (the poller's rounds mostly find nothing: commands are published by the
   * node that wrote them).
   */
  async runOnce(expected = false): Promise<number> {
    const { db, clock } = this.deps;
    const nowIso = iso(clock.now());
    const expired = await commands.expireCommands(db, nowIso);
    if (expired.length) this.log.info({ count: expired.length }, 'commands expired unanswered');
    const claimed =
      !expected && !(await commands.anyDueCommand(db, nowIso))
        ? []
        : await db.transaction().execute(async (trx) => {
            const rows = await commands.claimDueCommands(trx, nowIso, this.opts.batch);
            for (const r of rows)
              await commands.markAttempt(
                trx,
                r,
                iso(clock.now() + retryDelaySeconds(r.attempts + 1) * 1000),
              );
            return rows;
          });
    let published = 0;
    await Promise.all(
      claimed.map(async (c) => {
        if (await this.send(c)) published++;
      }),
    );
    return published;
  }

  /** Publish one command attempt; false (logged) when the broker did not take it: the lease brings a retry. */
  private async send(c: OutboxCommand): Promise<boolean> {
    const { clock } = this.deps;
    const message = {
      ...(JSON.parse(c.body) as object),
      messageId: newId(clock, this.deps.random),
      lockerId: c.locker_id,
      sentAt: iso(clock.now()),
      commandId: c.id,
      expiresAt: c.expires_at,
    } as LockerCommand;
    try {
      await this.publish(lockerTopic(c.locker_id, 'cmd'), encodeMessage(message));
      return true;
    } catch (err) {
      this.log.warn({ err, commandId: c.id }, 'publish failed; will retry');
      return false;
    }
  }
}
