import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone, parsePhone, PhoneVault, type Phone } from './phone.ts';

const vault = new PhoneVault(Buffer.alloc(32, 1), Buffer.alloc(32, 2));
const phoneArb = fc
  .tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/))
  .map(([d, rest]) => `1${d}${rest}` as Phone);

describe('phone input', () => {
  it('accepts +86, spaces and dashes, and refuses what is not a mainland mobile number', () => {
    expect(parsePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(parsePhone('8613800138000')).toBe('13800138000');
    for (const bad of ['12345', '12800138000', '138001380001', '+1 415 555 0100', ''])
      expect(parsePhone(bad)).toBeNull();
    expect(() => normalizePhone('12345')).toThrow(/11-digit/);
  });
});

describe('phone vault', () => {
  it('round-trips any mobile number and never stores it in clear', () => {
    fc.assert(
      fc.property(phoneArb, (p) => {
        const sealed = vault.encrypt(p);
        expect(sealed).not.toContain(p);
        expect(vault.decrypt(sealed)).toBe(p);
      }),
    );
  });

  it('hashes deterministically per key and differently across keys', () => {
    const other = new PhoneVault(Buffer.alloc(32, 1), Buffer.alloc(32, 3));
    const p = normalizePhone('13800138000');
    expect(vault.hash(p)).toBe(vault.hash(p));
    expect(other.hash(p)).not.toBe(vault.hash(p));
  });

  it('rejects tampered ciphertext', () => {
    const sealed = vault.encrypt(normalizePhone('13800138000'));
    const parts = sealed.split('.');
    parts[2] = Buffer.from('13900000000').toString('base64url');
    expect(() => vault.decrypt(parts.join('.'))).toThrow();
  });

  it('masks to the first three and last four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    fc.assert(
      fc.property(phoneArb, (p) => {
        expect(maskPhone(p)).toMatch(/^1\d{2}\*{4}\d{4}$/);
      }),
    );
  });

  it('normalises +86, spaces and dashes, and rejects non-mobiles with a clear message', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(() => normalizePhone('12345')).toThrow(/11-digit/);
    expect(() => normalizePhone('10800138000')).toThrow(/11-digit/);
  });
});
