/**
 * How a broker checks an MQTT login: the cloud's service account (credential derived from
 * the token key) or a locker with its secret, checked against the stored sha256. The
 * client-id rule is checked by the broker (identityProblem).
 *
 * The embedded broker remembers verified device logins briefly (DEVICE_AUTH_CACHE_MS), so a
 * reconnect storm does not queue a database read per locker behind the ingest of
 * everything the fleet sends on reconnect. A changed credential (rotation redeemed,
 * retirement) must not survive in that memory: CredentialWatch calls `invalidate`, and a
 * login whose database read raced such a change reads again.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { lockerIdFromUsername } from '../../contract/topics.ts';
import type { Executor } from '../../db/database.ts';
import type { MqttAuthenticate, MqttGrant } from '../../platform/mqtt/broker.ts';
import { serviceCredentials } from '../../platform/mqtt/client.ts';
import * as creds from './credentials.repository.ts';

/** Hex sha256 of a text: how secrets and tokens are stored. */
export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Compare two strings without leaking where they differ. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when `given` (a secret's sha256) is this locker's current secret; retired and unprovisioned lockers are refused. */
async function secretHashHolds(db: Executor, lockerId: string, given: string): Promise<boolean> {
  const row = await creds.findSecretHash(db, lockerId);
  // Compare even when there is nothing to compare with, so timing does not reveal which lockers exist.
  const stored = row?.secret_hash ?? '0'.repeat(64);
  const same = sameText(given, stored);
  return same && row !== undefined && row.secret_hash !== null && row.status !== 'retired';
}

/** True when the password is this locker's current MQTT secret; retired and unprovisioned lockers are refused. */
export async function verifyDeviceSecret(
  db: Executor,
  lockerId: string,
  password: string,
): Promise<boolean> {
  return secretHashHolds(db, lockerId, sha256(password));
}

/** How long a verified device login is trusted without a database read; any credential change clears it at once. */
export const DEVICE_AUTH_CACHE_MS = 60_000;

/** A broker's login check with a short memory of verified lockers that revocations clear. */
export class MqttLogins {
  private readonly verified = new Map<string, { hash: string; until: number }>();
  /** Bumped by every invalidation, so a login whose read overlapped one reads again. */
  private readonly epochs = new Map<string, number>();
  private readonly service: { username: string; password: string };
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Executor,
    tokenKey: Buffer,
    opts: { cacheMs?: number; now?: () => number } = {},
  ) {
    this.service = serviceCredentials(tokenKey);
    this.cacheMs = opts.cacheMs ?? 0;
    this.now = opts.now ?? Date.now;
  }

  /** The broker's authentication callback. */
  readonly authenticate: MqttAuthenticate = async (username, password) => {
    if (username === this.service.username)
      return sameText(password.toString('utf8'), this.service.password)
        ? { role: 'service' }
        : null;
    const lockerId = lockerIdFromUsername(username);
    if (lockerId === null) return null;
    const given = sha256(password.toString('utf8'));
    const granted: MqttGrant = { role: 'device', credential: given };
    const hit = this.verified.get(lockerId);
    if (hit && hit.until > this.now() && sameText(given, hit.hash)) return granted;
    for (let attempt = 0; attempt < 3; attempt++) {
      const epoch = this.epochs.get(lockerId) ?? 0;
      const holds = await secretHashHolds(this.db, lockerId, given);
      // The credentials changed while we read them: what we read may be the old secret's row.
      if ((this.epochs.get(lockerId) ?? 0) !== epoch) continue;
      if (!holds) {
        this.verified.delete(lockerId);
        return null;
      }
      if (this.cacheMs > 0) {
        if (this.verified.size > 100_000) this.verified.clear();
        this.verified.set(lockerId, { hash: given, until: this.now() + this.cacheMs });
      }
      return granted;
    }
    return null; // changing faster than we can read it: refuse; the locker retries
  };

  /** Forget a locker's remembered login unless it was made with `valid` (its current secret hash; null: none holds). */
  invalidate(lockerId: string, valid: string | null): void {
    if (this.epochs.size > 100_000) this.epochs.clear();
    this.epochs.set(lockerId, (this.epochs.get(lockerId) ?? 0) + 1);
    const hit = this.verified.get(lockerId);
    if (hit && (valid === null || !sameText(hit.hash, valid))) this.verified.delete(lockerId);
  }
}

/** The login check as a bare callback (the EMQX hooks; no cache, so every connect reads the database). */
export function mqttAuthenticator(
  db: Executor,
  tokenKey: Buffer,
  opts: { cacheMs?: number; now?: () => number } = {},
): MqttAuthenticate {
  return new MqttLogins(db, tokenKey, opts).authenticate;
}
