import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Clock, Random } from './clock.ts';
import type { PhoneVault } from './crypto/phone.ts';
import type { TokenService } from './auth/tokens.ts';
import type { SmsSender } from './notify/sms.ts';

/** A command row as the outbox publishes it (the lockers module's locker_commands row). */
export interface OutboxCommand {
  id: string;
  locker_id: string;
  body: string;
  expires_at: string;
}

/** Wakes the outbox dispatcher after a transaction queued commands (no-op when nothing dispatches). */
export interface OutboxSignal {
  /** Commands may be waiting in the table: run a dispatch round. */
  kick(): void;
  /** A command was queued for a dispatch round: the next kick must not be skipped. */
  queued?(): void;
  /** Publish a committed, already leased command now, without a round (a lost publish is retried when the lease ends). */
  deliver?(command: OutboxCommand): void;
}

/**
 * What a module's routes and services need, handed over explicitly by buildApp.
 * Services take `db` (or a transaction) as their first argument; the rest comes from here.
 */
export interface AppDeps {
  readonly config: Config;
  readonly db: Database;
  readonly clock: Clock;
  readonly random: Random;
  readonly vault: PhoneVault;
  readonly tokens: TokenService;
  readonly sms: SmsSender;
  readonly outbox: OutboxSignal;
}
