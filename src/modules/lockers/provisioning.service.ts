/**
 * Locker credentials. An admin issues a one-time provisioning token for a locker; the
 * installer types or scans it into the locker, which exchanges it (once) for a
 * long-lived MQTT secret. Only sha256 hashes are stored. The broker checks the secret on
 * every connect (verifyDeviceSecret, mqttAuthenticator).
 *
 * Token format: `<lockerId>.<expiresEpochSeconds>.<nonce>.<mac>`, where nonce is 16 random
 * bytes and mac = HMAC-SHA256(tokenKey, `provision:<lockerId>:<expires>:<nonce>`), both
 * base64url. The MAC lets a forged or mistyped token be refused without a database read;
 * the stored hash makes the token one-time and lets a newer token replace it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deviceUsername, lockerIdFromUsername, lockerTopic, type TopicKind } from '../../contract/topics.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { MqttAuthenticate } from '../../platform/mqtt/broker.ts';
import { serviceCredentials } from '../../platform/mqtt/client.ts';
import { LIMITS, limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import type { Executor } from '../../db/database.ts';
import * as creds from './credentials.repository.ts';

export const PROVISIONING = {
  /** How long an issued token stays valid. */
  tokenTtlSeconds: 7 * 24 * 3600,
  /** Redemption attempts per locker per 15 minutes. */
  perLockerPer15Min: LIMITS.provisionPerLocker.max,
  /** Redemption attempts per client IP per hour (an installer may set up a whole compound). */
  perIpPerHour: LIMITS.provisionPerAddress.max,
} as const;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const mac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('base64url');

/** Compare two strings without leaking where they differ. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The demo fleet's secret for a locker, derived so the in-process simulator needs no provisioning. */
export function demoLockerSecret(tokenKey: Buffer, lockerId: string): string {
  return mac(tokenKey, `demo-locker:${lockerId}`);
}

/** Set a locker's MQTT secret directly (the demo seeder). Touches only the secret hash. */
export async function setDeviceSecret(db: Executor, lockerId: string, secret: string): Promise<void> {
  await creds.setSecretHash(db, lockerId, sha256(secret));
}

/** True when the password is this locker's current MQTT secret; retired and unprovisioned lockers are refused. */
export async function verifyDeviceSecret(db: Executor, lockerId: string, password: string): Promise<boolean> {
  const row = await creds.findSecretHash(db, lockerId);
  const given = sha256(password);
  // Compare even when there is nothing to compare with, so timing does not reveal which lockers exist.
  const stored = row?.secret_hash ?? '0'.repeat(64);
  const same = sameText(given, stored);
  return same && row !== undefined && row.secret_hash !== null && row.status !== 'retired';
}

/** How long a verified device credential is trusted without a database read (a retirement takes effect within it). */
export const DEVICE_AUTH_CACHE_MS = 60_000;

/**
 * The broker's authentication callback: the service account (credential derived from the
 * token key) or a locker with its secret. The client-id rule is checked by the broker.
 * With `cacheMs` (the embedded broker uses DEVICE_AUTH_CACHE_MS), verified device
 * credentials are remembered briefly, so a reconnect storm (a broker or
 * network blip drops a whole fleet at once) does not queue a database read per locker
 * behind the ingest of everything the fleet sends on reconnect.
 */
export function mqttAuthenticator(db: Executor, tokenKey: Buffer, opts: { cacheMs?: number; now?: () => number } = {}): MqttAuthenticate {
  const cacheMs = opts.cacheMs ?? 0;
  const now = opts.now ?? Date.now;
  const service = serviceCredentials(tokenKey);
  const verified = new Map<string, { hash: string; until: number }>();
  return async (username, password) => {
    if (username === service.username) return sameText(password.toString('utf8'), service.password) ? 'service' : null;
    const lockerId = lockerIdFromUsername(username);
    if (lockerId === null) return null;
    const given = sha256(password.toString('utf8'));
    const hit = verified.get(lockerId);
    if (hit && hit.until > now() && sameText(given, hit.hash)) return 'device';
    if (!(await verifyDeviceSecret(db, lockerId, password.toString('utf8')))) {
      verified.delete(lockerId);
      return null;
    }
    if (cacheMs > 0) {
      if (verified.size > 100_000) verified.clear();
      verified.set(lockerId, { hash: given, until: now() + cacheMs });
    }
    return 'device';
  };
}

/** Issue a one-time provisioning token for a locker; any earlier token stops working. */
export async function issueProvisioningToken(deps: AppDeps, actorId: string, lockerId: string, ttlSeconds: number = PROVISIONING.tokenTtlSeconds): Promise<{ token: string; expiresAt: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const locker = await creds.findCredentials(trx, lockerId);
    if (!locker) throw notFound('That locker');
    if (locker.status === 'retired') throw conflict('This locker is retired; it cannot be provisioned again.');
    const now = deps.clock.now();
    const expires = Math.floor(now / 1000) + ttlSeconds;
    const nonce = deps.random.bytes(16).toString('base64url');
    const token = `${lockerId}.${expires}.${nonce}.${mac(deps.config.secrets.tokenKey, `provision:${lockerId}:${expires}:${nonce}`)}`;
    const expiresAt = iso(expires * 1000);
    await creds.storeProvisioningToken(trx, lockerId, sha256(token), expiresAt, iso(now));
    await recordAudit(trx, deps.clock, deps.random, { actorId, action: 'locker.provisioning_token.issue', targetKind: 'locker', targetId: lockerId, communityId: locker.community_id, detail: { expiresAt } });
    return { token, expiresAt };
  });
}

export interface ProvisionedLocker {
  lockerId: string;
  mqttUsername: string;
  mqttPassword: string;
  topics: Record<TopicKind, string>;
}

const INVALID_TOKEN = 'This provisioning token is not valid for this locker: it may be mistyped, already used, or replaced by a newer one. Ask an administrator for a new token.';

/** Exchange a valid provisioning token for the locker's long-lived MQTT secret (returned this once only). */
export async function provisionLocker(deps: AppDeps, input: { lockerId: string; token: string; ip: string }): Promise<ProvisionedLocker> {
  const { lockerId, token } = input;
  // Outside the transaction, so a refused attempt still counts.
  await hitLimits(deps.db, deps.clock, [
    limit('provisionPerLocker', lockerId),
    limit('provisionPerAddress', input.ip),
  ]);

  const parts = token.split('.');
  if (parts.length !== 4) throw new AppError('unauthenticated', INVALID_TOKEN);
  const [tokenLocker, expiresText, nonce, tag] = parts as [string, string, string, string];
  const expected = mac(deps.config.secrets.tokenKey, `provision:${tokenLocker}:${expiresText}:${nonce}`);
  if (tokenLocker !== lockerId || !/^\d{1,12}$/.test(expiresText) || !sameText(tag, expected)) throw new AppError('unauthenticated', INVALID_TOKEN);
  const now = deps.clock.now();
  if (Number(expiresText) * 1000 <= now) {
    throw new AppError('unauthenticated', `This provisioning token expired at ${iso(Number(expiresText) * 1000)}. Ask an administrator for a new token.`);
  }

  const secret = deps.random.bytes(32).toString('base64url');
  await deps.db.transaction().execute(async (trx) => {
    const redeemed = await creds.redeemProvisioningToken(trx, lockerId, sha256(token), sha256(secret), iso(now));
    if (!redeemed) throw new AppError('unauthenticated', INVALID_TOKEN);
    await recordAudit(trx, deps.clock, deps.random, { actorId: null, action: 'locker.provision', targetKind: 'locker', targetId: lockerId, communityId: redeemed.community_id, detail: { ip: input.ip } });
  });
  return {
    lockerId,
    mqttUsername: deviceUsername(lockerId),
    mqttPassword: secret,
    topics: { cmd: lockerTopic(lockerId, 'cmd'), res: lockerTopic(lockerId, 'res'), evt: lockerTopic(lockerId, 'evt'), state: lockerTopic(lockerId, 'state'), status: lockerTopic(lockerId, 'status') },
  };
}
