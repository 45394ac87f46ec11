/**
 * Delivers queued commands. Each round claims due commands, marks the attempt (which
 * leases them until the next retry time) and commits, then publishes them at QoS 1.
 * Nothing is held open across network I/O; a lost publish is simply retried when its
 * lease runs out. The device deduplicates by commandId, so a retry never acts twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import { encodeMessage, type LockerCommand, lockerTopic } from '../../contract/index.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps, OutboxSignal } from '../../platform/deps.ts';
import * as commands from './command.repository.ts';

/** Publishes one message at QoS 1; rejects when the broker did not take it. */
export type Publish = (topic: string, payload: Buffer) => Promise<void>;

/** Seconds until attempt n+1: 5, 10, 20, 40, 60, 60… */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 5 * 2 ** Math.max(0, attempts - 1));
}

export class CommandDispatcher implements OutboxSignal {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'random'>,
    private readonly publish: Publish,
    private readonly log: FastifyBaseLogger,
    private readonly opts: { pollMs: number; batch: number } = { pollMs: 1000, batch: 200 },
  ) {}

  /** Poll for due retries and expiries until stop(). */
  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Run a round soon; rounds never overlap, and a kick during a round runs one more. */
  kick(): void {
    if (this.stopped) return;
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
      try {
        const n = await this.runOnce();
        if (n >= this.opts.batch) this.again = true;
      } catch (err) {
        this.log.error({ err }, 'command dispatch round failed');
      }
    } while (this.again && !this.stopped);
  }

  /** One round: expire, claim, publish. Returns how many commands were published. */
  async runOnce(): Promise<number> {
    const { db, clock } = this.deps;
    const nowIso = iso(clock.now());
    const expired = await commands.expireCommands(db, nowIso);
    if (expired.length) this.log.info({ count: expired.length }, 'commands expired unanswered');
    const claimed = await db.transaction().execute(async (trx) => {
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
          published++;
        } catch (err) {
          this.log.warn({ err, commandId: c.id }, 'publish failed; will retry');
        }
      }),
    );
    return published;
  }
}
