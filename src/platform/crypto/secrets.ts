import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The server's keys. They never appear in logs or responses. */
export interface Secrets {
  /** HMAC key for access tokens (HS256). */
  readonly tokenKey: Buffer;
  /** AES-256-GCM key for phone numbers at rest. */
  readonly phoneKey: Buffer;
  /** HMAC key for the phone lookup hash. */
  readonly phoneHashKey: Buffer;
}

/**
 * Demo mode only: read the keys from `<dataDir>/secrets.json`, creating it once with
 * fresh random keys and 0600 permissions, so a restart keeps tokens and phones readable.
 */
export function loadOrCreateDemoSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    const fresh = { tokenKey: b64(32), phoneKey: b64(32), phoneHashKey: b64(32) };
    try {
      fs.writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process won the race
    }
  }
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  const key = (k: string) => {
    const v = raw[k];
    if (typeof v !== 'string' || Buffer.from(v, 'base64').length < 32)
      throw new Error(
        `${file}: ${k} is missing or too short; delete the file to regenerate demo secrets.`,
      );
    return Buffer.from(v, 'base64');
  };
  return {
    tokenKey: key('tokenKey'),
    phoneKey: key('phoneKey').subarray(0, 32),
    phoneHashKey: key('phoneHashKey'),
  };
}

function b64(n: number): string {
  return randomBytes(n).toString('base64');
}
