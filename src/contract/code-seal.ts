/**
 * Pickup codes sealed for one locker (ADR 0017). Instead of the cloud spending ~48 ms
 * of scrypt per parcel, it seals the code for the locker and the locker derives its own
 * offline verifier on its otherwise idle CPU, then forgets the code. The seal key is
 * derived from the sha256 of the locker's MQTT secret, which both sides hold (the cloud
 * stores only that hash), so the broker and anyone on the wire see ciphertext only.
 * Sealing is deterministic per (parcel, code) so an unchanged code is recognised on the
 * next sync without being derived again.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { type Static, Type } from 'typebox';
import { IsoTime, Obj, ParcelId, Compartment } from './common.ts';
import { setBounded } from '../kernel/bounded.ts';

/** A parcel's code sealed for the locker; the locker derives the verifier itself. */
export const SealedCode = Obj({
  parcelId: ParcelId,
  compartment: Compartment,
  sealed: Type.String({
    pattern: '^[A-Za-z0-9_-]{40,80}$',
    description: 'base64url(iv ‖ AES-256-GCM(code) ‖ tag), key from the locker secret',
  }),
  expiresAt: IsoTime,
});
/** A sealed code as a TypeScript type. */
export type SealedCode = Static<typeof SealedCode>;

/** The hex sha256 of a locker's MQTT secret: what the cloud stores and what the seal key comes from. */
export function deviceSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Seal keys derived so far, by secret hash: a deposit derived its locker's anew (≈ 50–100 µs of HKDF). */
const sealKeys = new Map<string, Buffer>();
/** Bound on the keys kept: a subdistrict has about 1,500 lockers; past this the oldest is derived again. */
export const SEAL_KEYS_KEPT = 20_000;

/** The AES key codes are sealed with for one locker (the same Buffer each time: do not change it). */
export function codeSealKey(secretHashHex: string): Buffer {
  let key = sealKeys.get(secretHashHex);
  if (key) return key;
  key = Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(secretHashHex, 'hex'),
      Buffer.alloc(0),
      'antnest code seal v1',
      32,
    ),
  );
  setBounded(sealKeys, secretHashHex, key, SEAL_KEYS_KEPT);
  return key;
}

/** Seal a code for the locker (bound to the parcel id). */
export function sealCodeForLocker(key: Buffer, parcelId: string, code: string): string {
  const iv = createHmac('sha256', key).update(`iv:${parcelId}:${code}`).digest().subarray(0, 12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(parcelId));
  const ct = Buffer.concat([c.update(code, 'utf8'), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64url');
}

/** The code inside a seal, or null when it was not sealed for this key and parcel. */
export function unsealCode(key: Buffer, parcelId: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(parcelId));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** The scrypt salt the locker uses for a seal: fixed per seal, so an unchanged code keeps its verifier. */
export function sealSalt(key: Buffer, sealed: string): Buffer {
  return createHmac('sha256', key).update(`salt:${sealed}`).digest().subarray(0, 16);
}
