/**
 * Staff passwords: argon2id with the OWASP Password Storage Cheat Sheet's parameters
 * (m = 19 MiB, t = 2, p = 1).
 */
import argon2 from 'argon2';
import { AppError } from '../errors.ts';

const OWASP = {
  type: argon2.argon2id,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

/** A hash made once at start-up, verified against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;

export const MIN_PASSWORD_LENGTH = 10;

/** Hash a new password after checking it is long enough to resist guessing (NIST 800-63B). */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'validation_failed',
      `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  return argon2.hash(password, OWASP);
}

/** Check a password; with no stored hash, still spends the same time and returns false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= argon2.hash('antnest-timing-equaliser', OWASP);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(stored, password).catch(() => false);
}
