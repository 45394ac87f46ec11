import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Clock, Random } from './clock.ts';
import type { PhoneVault } from './crypto/phone.ts';
import type { TokenService } from './auth/tokens.ts';
import type { SmsSender } from './notify/sms.ts';

/** Wakes the outbox dispatcher after a transaction queued commands (no-op when nothing dispatches). */
export interface OutboxSignal {
  kick(): void;
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
