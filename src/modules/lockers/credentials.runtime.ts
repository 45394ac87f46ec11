/**
 * A locker credential that changed (a rotation redeemed, a retirement) stops working on
 * this node's embedded broker: the remembered login is forgotten and a live session
 * opened with the old secret is dropped. Changes made through this node arrive at once
 * (CredentialRelay, called after the commit); changes made through another node sharing
 * the database are read every `everyMs` — every locker whose credentials changed within
 * the last `windowMs`, so a late commit or a few seconds of clock skew between nodes is
 * still seen. Checking a locker again is harmless: it compares live sessions with the row.
 */
import { deviceUsername } from '../../contract/topics.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import type { Executor } from '../../db/database.ts';
import type { EmbeddedBroker, MqttLog } from '../../platform/mqtt/broker.ts';
import * as creds from './credentials.repository.ts';
import type { MqttLogins } from './device-auth.service.ts';

/** Tells whoever enforces locker logins that a locker's credentials changed (no-op until a watch attaches). */
export class CredentialRelay {
  private target: CredentialWatch | null = null;
  /** Route changes to this watch (null detaches). */
  attach(w: CredentialWatch | null): void {
    this.target = w;
  }
  /** A locker's credentials changed in a committed transaction. */
  changed(lockerId: string): void {
    this.target?.changedHere(lockerId);
  }
}

export interface CredentialWatchOptions {
  /** How often to read changes made through other nodes. Default 1 s. */
  everyMs?: number;
  /** How far back each read looks. Default 30 s. */
  windowMs?: number;
}

/** Keeps one node's broker in step with the lockers' credentials in the database. */
export class CredentialWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly everyMs: number;
  private readonly windowMs: number;

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly logins: MqttLogins,
    private readonly broker: Pick<EmbeddedBroker, 'disconnect'>,
    private readonly log: MqttLog,
    opts: CredentialWatchOptions = {},
  ) {
    this.everyMs = opts.everyMs ?? 1000;
    this.windowMs = opts.windowMs ?? 30_000;
  }

  /** Start reading other nodes' changes. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.check().catch((err: unknown) =>
        this.log.warn({ err: String(err) }, 'locker credential check failed; retrying'),
      );
    }, this.everyMs);
    this.timer.unref();
  }

  /** Stop, after any check in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * A change committed through this node: forget the remembered login now (so the very
   * next login reads the database), then drop sessions whose secret no longer holds.
   */
  changedHere(lockerId: string): void {
    this.logins.invalidate(lockerId, null);
    this.check([lockerId]).catch((err: unknown) =>
      this.log.warn(
        { lockerId, err: String(err) },
        'locker credential check failed; the periodic check retries',
      ),
    );
  }

  /** Apply the current credentials of these lockers (default: those changed within the window); how many sessions were dropped. */
  async check(lockerIds?: readonly string[]): Promise<number> {
    const rows = lockerIds
      ? await creds.credentialsOf(this.db, lockerIds)
      : await creds.credentialsChangedSince(this.db, iso(this.clock.now() - this.windowMs));
    let dropped = 0;
    for (const row of rows) {
      const valid = row.status === 'retired' ? null : row.secret_hash;
      this.logins.invalidate(row.id, valid);
      const reason = row.status === 'retired' ? 'locker retired' : 'secret rotated';
      if (
        this.broker.disconnect(
          deviceUsername(row.id),
          (who) => who.role === 'device' && (valid === null || who.credential !== valid),
          reason,
        )
      )
        dropped++;
    }
    return dropped;
  }
}
