/** The seal key a locker and the cloud both derive from the secret's hash, kept once derived. */
import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  codeSealKey,
  deviceSecretHash,
  SEAL_KEYS_KEPT,
  sealCodeForLocker,
  unsealCode,
} from './code-seal.ts';

const hkdf = (hashHex: string) =>
  Buffer.from(
    hkdfSync('sha256', Buffer.from(hashHex, 'hex'), Buffer.alloc(0), 'antnest code seal v1', 32),
  );

describe('codeSealKey', () => {
  it('is the HKDF of the secret hash, derived once and then handed out again', () => {
    const h = deviceSecretHash('locker-secret-1');
    const k = codeSealKey(h);
    expect(k.equals(hkdf(h))).toBe(true);
    expect(codeSealKey(h)).toBe(k);
    const other = codeSealKey(deviceSecretHash('locker-secret-2'));
    expect(other.equals(k)).toBe(false);
    // A code sealed with the kept key opens with a freshly derived one, and not with another locker's.
    const sealed = sealCodeForLocker(k, 'p-1', '12345678');
    expect(unsealCode(hkdf(h), 'p-1', sealed)).toBe('12345678');
    expect(unsealCode(other, 'p-1', sealed)).toBeNull();
  });

  it('keeps at most SEAL_KEYS_KEPT keys, and a key derived again is the same key', () => {
    const first = deviceSecretHash('bound-0');
    const k0 = codeSealKey(first);
    for (let i = 1; i <= SEAL_KEYS_KEPT; i++) codeSealKey(deviceSecretHash(`bound-${i}`));
    const again = codeSealKey(first);
    expect(again).not.toBe(k0); // the oldest was let go and derived anew
    expect(again.equals(k0)).toBe(true);
  });
});
