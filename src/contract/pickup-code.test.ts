import { describe, expect, it } from 'vitest';
import { cryptoRandom } from '../kernel/clock.ts';
import {
  DEFAULT_KDF,
  type KdfParams,
  codeMatches,
  deriveCodeHash,
  makeCodeVerifier,
} from './pickup-code.ts';

const FAST: KdfParams = { alg: 'scrypt', logN: 10, r: 8, p: 1, keyLength: 32 };

describe('pickup-code verifiers', () => {
  it('match the right code only', async () => {
    const v = await makeCodeVerifier('12345678', cryptoRandom.bytes, FAST);
    expect(await codeMatches('12345678', v, FAST)).toBe(true);
    expect(await codeMatches('12345679', v, FAST)).toBe(false);
    expect(await codeMatches('1234567', v, FAST)).toBe(false);
    expect(await codeMatches('12345678', v, { ...FAST, logN: 11 })).toBe(false);
  });

  it('never contain the code, and differ per parcel for the same code (salted)', async () => {
    const a = await makeCodeVerifier('00000001', cryptoRandom.bytes, FAST);
    const b = await makeCodeVerifier('00000001', cryptoRandom.bytes, FAST);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(`${a.salt}${a.hash}`).not.toContain('00000001');
  });

  it('are scrypt(code, salt) as documented, so any implementation can reproduce them', async () => {
    const salt = Buffer.alloc(16, 7);
    const h = await deriveCodeHash('87654321', salt, FAST);
    const { scryptSync } = await import('node:crypto');
    expect(h.equals(scryptSync('87654321', salt, 32, { N: 1024, r: 8, p: 1 }))).toBe(true);
  });

  it('default to a deliberately slow KDF (≥ 2^14 × 8 × 128 B = 16 MiB per guess)', () => {
    expect(2 ** DEFAULT_KDF.logN * DEFAULT_KDF.r * 128).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });
});
