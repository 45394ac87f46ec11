/** Open311 API keys: issued per client in the console, shown once, stored as a SHA-256 hash. */
import { createHash } from 'node:crypto';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import * as repo from './client.repository.ts';

/** The stored form of a key (keys are 256-bit random, so an unsalted fast hash is enough). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Console view of a client. */
export function presentClient(r: repo.ClientRow) {
  return {
    id: r.id,
    name: r.name,
    keyHint: r.key_hint,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** Issue a key to a new client; the clear key is returned this once. */
export async function issueKey(deps: AppDeps, name: string, by: string) {
  const apiKey = `o311_${deps.random.bytes(32).toString('base64url')}`;
  const row: repo.ClientRow = {
    id: newId(deps.clock, deps.random),
    name: name.trim(),
    key_hash: hashKey(apiKey),
    key_hint: apiKey.slice(-4),
    created_by: by,
    created_at: iso(deps.clock.now()),
    revoked_at: null,
  };
  await repo.insertClient(deps.db, row);
  return { client: presentClient(row), apiKey };
}

/** The live client of a key, or undefined. */
export async function clientOfKey(deps: AppDeps, key: string | undefined) {
  if (!key || key.length > 200) return undefined;
  return repo.findLiveByHash(deps.db, hashKey(key));
}
