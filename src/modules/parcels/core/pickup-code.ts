/**
 * Pickup codes: 8 random digits per parcel (10^8 values). Stored three ways, none in
 * clear: a keyed hash to find the parcel when the code is typed, a scrypt verifier the
 * locker checks offline, and a ciphertext only the recipient's own view decrypts.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Random } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';

export const CODE_DIGITS = 8;

/** A fresh code, uniform over 00000000–99999999. */
export function newPickupCode(random: Random): string {
  return String(random.int(10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** The lookup hash of a code at one locker (codes are unique per locker, not globally). */
export function codeHash(key: Buffer, lockerId: string, code: string): string {
  return createHmac('sha256', key).update(`pickup:${lockerId}:${code}`).digest('base64url');
}

/** Encrypt a code for its recipient (AES-256-GCM with the phone key). */
export function sealCode(key: Buffer, code: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(code, 'utf8'), c.final()]);
  return [
    'c1',
    iv.toString('base64url'),
    ct.toString('base64url'),
    c.getAuthTag().toString('base64url'),
  ].join('.');
}

/** Decrypt a sealed code. */
export function openCode(key: Buffer, sealed: string): string {
  const [v, iv, ct, tag] = sealed.split('.');
  if (v !== 'c1' || !iv || !ct || !tag) throw new Error('unrecognised code ciphertext');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
}

/** The key pickup codes are hashed with. */
export function codeKey(ctx: Pick<AppDeps, 'config'>): Buffer {
  return ctx.config.secrets.phoneHashKey;
}
