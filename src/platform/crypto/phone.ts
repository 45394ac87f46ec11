/**
 * Phone numbers are personal data: stored encrypted (AES-256-GCM), found by a keyed hash
 * (HMAC-SHA256), and shown masked (138****1234) to everyone but their owner.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { type Phone, parsePhone } from '../../kernel/phone.ts';

// The pure rule (what a mobile number is, its masked form) lives in the kernel, shared with the
// device agent and the web apps; encryption, hashing and the 400 stay here.
export { type Phone, maskPhone, parsePhone } from '../../kernel/phone.ts';

/** Canonicalise user input or throw a 400 a person can act on. */
export function normalizePhone(input: string): Phone {
  const phone = parsePhone(input);
  if (!phone)
    throw new AppError(
      'validation_failed',
      'Enter an 11-digit mainland mobile number, e.g. 13800138000.',
    );
  return phone;
}

/** Encrypts, decrypts and hashes phone numbers with the configured keys. */
export class PhoneVault {
  constructor(
    private readonly encKey: Buffer,
    private readonly hashKey: Buffer,
  ) {
    if (encKey.length !== 32) throw new Error('phone encryption key must be 32 bytes');
  }

  /** Keyed hash for equality lookups; stable across restarts for the same key. */
  hash(phone: Phone): string {
    return createHmac('sha256', this.hashKey).update(phone).digest('base64url');
  }

  /** `v1.<iv>.<ciphertext>.<tag>` in base64url. */
  encrypt(phone: Phone): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([c.update(phone, 'utf8'), c.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      ct.toString('base64url'),
      c.getAuthTag().toString('base64url'),
    ].join('.');
  }

  /** Reverse of encrypt; throws if the value was tampered with or the key is wrong. */
  decrypt(sealed: string): Phone {
    const [v, iv, ct, tag] = sealed.split('.');
    if (v !== 'v1' || !iv || !ct || !tag) throw new Error('unrecognised phone ciphertext');
    const d = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString(
      'utf8',
    ) as Phone;
  }
}
