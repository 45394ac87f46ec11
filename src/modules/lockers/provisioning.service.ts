/**
 * Locker credentials. An admin issues a one-time provisioning token for a locker; the
 * installer types or scans it into the locker, which exchanges it (once) for a
 * long-lived MQTT secret. Only sha256 hashes are stored. The broker checks the secret on
 * every connect (device-auth.service.ts); redeeming a token for a provisioned locker
 * rotates its secret, and the old one stops at once (CredentialWatch).
 *
 * Token format: `<lockerId>.<expiresEpochSeconds>.<nonce>.<mac>`, where nonce is 16 random
 * bytes and mac = HMAC-SHA256(tokenKey, `provision:<lockerId>:<expires>:<nonce>`), both
 * base64url. The MAC lets a forged or mistyped token be refused without a database read;
 * the stored hash makes the token one-time and lets a newer token replace it.
 */
import { createHmac } from 'node:crypto';
import { deviceUsername, lockerTopic, type TopicKind } from '../../contract/topics.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { LIMITS, limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import type { Executor } from '../../db/database.ts';
import * as creds from './credentials.repository.ts';
import type { CredentialRelay } from './credentials.runtime.ts';
import { sameText, sha256 } from './device-auth.service.ts';

export const PROVISIONING = {
  /** How long an issued token stays valid. */
  tokenTtlSeconds: 7 * 24 * 3600,
  /** Redemption attempts per locker per 15 minutes. */
  perLockerPer15Min: LIMITS.provisionPerLocker.max,
  /** Redemption attempts per client IP per hour (an installer may set up a whole compound). */
  perIpPerHour: LIMITS.provisionPerAddress.max,
} as const;

const mac = (key: Buffer, text: string): string =>
  createHmac('sha256', key).update(text, 'utf8').digest('base64url');

/** The demo fleet's secret for a locker, derived so the in-process simulator needs no provisioning. */
export function demoLockerSecret(tokenKey: Buffer, lockerId: string): string {
  return mac(tokenKey, `demo-locker:${lockerId}`);
}

/** Set a locker's MQTT secret directly (the demo seeder). Touches only the secret hash. */
export async function setDeviceSecret(
  db: Executor,
  lockerId: string,
  secret: string,
): Promise<void> {
  await creds.setSecretHash(db, lockerId, sha256(secret));
}

/** Issue a one-time provisioning token for a locker; any earlier token stops working. */
export async function issueProvisioningToken(
  deps: AppDeps,
  actorId: string,
  lockerId: string,
  ttlSeconds: number = PROVISIONING.tokenTtlSeconds,
): Promise<{ token: string; expiresAt: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const locker = await creds.findCredentials(trx, lockerId);
    if (!locker) throw notFound('That locker');
    if (locker.status === 'retired')
      throw conflict('This locker is retired; it cannot be provisioned again.');
    const now = deps.clock.now();
    const expires = Math.floor(now / 1000) + ttlSeconds;
    const nonce = deps.random.bytes(16).toString('base64url');
    const token = `${lockerId}.${expires}.${nonce}.${mac(deps.config.secrets.tokenKey, `provision:${lockerId}:${expires}:${nonce}`)}`;
    const expiresAt = iso(expires * 1000);
    await creds.storeProvisioningToken(trx, lockerId, sha256(token), expiresAt, iso(now));
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'locker.provisioning_token.issue',
      targetKind: 'locker',
      targetId: lockerId,
      communityId: locker.community_id,
      detail: { expiresAt },
    });
    return { token, expiresAt };
  });
}

export interface ProvisionedLocker {
  lockerId: string;
  mqttUsername: string;
  mqttPassword: string;
  /** Where to connect (config MQTT_PUBLIC_URL); absent when the operator has not set it. */
  brokerUrl?: string;
  topics: Record<TopicKind, string>;
}

const INVALID_TOKEN =
  'This provisioning token is not valid for this locker: it may be mistyped, already used, or replaced by a newer one. Ask an administrator for a new token.';

/** Exchange a valid provisioning token for the locker's long-lived MQTT secret (returned this once only). */
export async function provisionLocker(
  deps: AppDeps,
  relay: CredentialRelay,
  input: { lockerId: string; token: string; ip: string },
): Promise<ProvisionedLocker> {
  const { lockerId, token } = input;
  // Outside the transaction, so a refused attempt still counts.
  await hitLimits(deps.db, deps.clock, [
    limit('provisionPerLocker', lockerId),
    limit('provisionPerAddress', input.ip),
  ]);

  const parts = token.split('.');
  if (parts.length !== 4) throw new AppError('unauthenticated', INVALID_TOKEN);
  const [tokenLocker, expiresText, nonce, tag] = parts as [string, string, string, string];
  const expected = mac(
    deps.config.secrets.tokenKey,
    `provision:${tokenLocker}:${expiresText}:${nonce}`,
  );
  if (tokenLocker !== lockerId || !/^\d{1,12}$/.test(expiresText) || !sameText(tag, expected))
    throw new AppError('unauthenticated', INVALID_TOKEN);
  const now = deps.clock.now();
  if (Number(expiresText) * 1000 <= now) {
    throw new AppError(
      'unauthenticated',
      `This provisioning token expired at ${iso(Number(expiresText) * 1000)}. Ask an administrator for a new token.`,
    );
  }

  const secret = deps.random.bytes(32).toString('base64url');
  await deps.db.transaction().execute(async (trx) => {
    const redeemed = await creds.redeemProvisioningToken(
      trx,
      lockerId,
      sha256(token),
      sha256(secret),
      iso(now),
    );
    if (!redeemed) throw new AppError('unauthenticated', INVALID_TOKEN);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: null,
      action: 'locker.provision',
      targetKind: 'locker',
      targetId: lockerId,
      communityId: redeemed.community_id,
      detail: { ip: input.ip },
    });
  });
  // A rotation: the previous secret (and any session it opened) stops now, before the new one is handed out.
  relay.changed(lockerId);
  return {
    lockerId,
    mqttUsername: deviceUsername(lockerId),
    mqttPassword: secret,
    ...(deps.config.mqttPublicUrl ? { brokerUrl: deps.config.mqttPublicUrl } : {}),
    topics: {
      cmd: lockerTopic(lockerId, 'cmd'),
      res: lockerTopic(lockerId, 'res'),
      evt: lockerTopic(lockerId, 'evt'),
      state: lockerTopic(lockerId, 'state'),
      status: lockerTopic(lockerId, 'status'),
    },
  };
}
