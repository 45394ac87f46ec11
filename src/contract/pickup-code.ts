/**
 * Pickup-code verifiers for offline pickup (ADR 0012). The cloud turns each active
 * parcel's 8-digit code into `scrypt(code, salt)` with a fresh 16-byte salt per parcel
 * and syncs only that to the locker; the locker compares a typed code against them.
 * Both sides import these functions, so the derivation cannot drift.
 */
import { scrypt, timingSafeEqual } from 'node:crypto';
import { type Static, Type } from 'typebox';
import { Obj, PICKUP_CODE_PATTERN } from './common.ts';

/** KDF parameters travel with every sync, so the cloud can retune them per locker. */
export const KdfParams = Obj(
  {
    alg: Type.Literal('scrypt'),
    logN: Type.Integer({ minimum: 10, maximum: 17, description: 'scrypt cost N = 2^logN' }),
    r: Type.Integer({ minimum: 1, maximum: 16 }),
    p: Type.Integer({ minimum: 1, maximum: 4 }),
    keyLength: Type.Literal(32),
  },
  'scrypt parameters; bounded so a sync cannot make the device burn memory or minutes per code.',
);
/** The KDF parameters as a TypeScript type. */
export type KdfParams = Static<typeof KdfParams>;

/** ~48 ms and 16 MiB per evaluation on the reference 2-core x86 (docs/device.md has the math). */
export const DEFAULT_KDF: KdfParams = Object.freeze({
  alg: 'scrypt',
  logN: 14,
  r: 8,
  p: 1,
  keyLength: 32,
});

/** Bytes of random salt per parcel. */
export const SALT_BYTES = 16;

const CODE_RE = new RegExp(PICKUP_CODE_PATTERN);

/** scrypt(code, salt) with the given parameters. */
export function deriveCodeHash(code: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  if (!CODE_RE.test(code)) return Promise.reject(new Error('A pickup code is exactly 8 digits.'));
  const N = 2 ** kdf.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      code,
      salt,
      kdf.keyLength,
      { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r * kdf.p },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** A verifier for a new code: base64 salt and hash, as carried in a `sync` command. */
export async function makeCodeVerifier(
  code: string,
  randomBytes: (n: number) => Buffer,
  kdf: KdfParams = DEFAULT_KDF,
): Promise<{ salt: string; hash: string }> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await deriveCodeHash(code, salt, kdf);
  return { salt: salt.toString('base64'), hash: hash.toString('base64') };
}

/** True when code matches the verifier; constant-time comparison of the derived key. */
export async function codeMatches(
  code: string,
  verifier: { salt: string; hash: string },
  kdf: KdfParams,
): Promise<boolean> {
  if (!CODE_RE.test(code)) return false;
  const expected = Buffer.from(verifier.hash, 'base64');
  const actual = await deriveCodeHash(code, Buffer.from(verifier.salt, 'base64'), kdf);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
