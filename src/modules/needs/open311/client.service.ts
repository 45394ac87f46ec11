/** Open311 API keys: issued per client in the console, shown once, stored as a SHA-256 hash. */
import { createHash } from 'node:crypto';
import { iso, newId } from '../../../platform/clock.ts';
import { recordAudit } from '../../../platform/audit/audit.repository.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
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
    contact: r.contact,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** Issue a key to a new client; the clear key is returned this once. Audited. */
export async function issueKey(
  deps: AppDeps,
  input: { name: string; contact?: string | undefined },
  by: string,
) {
  const name = input.name.trim();
  if (!name) throw new AppError('bad_request', '请填写接入方名称 / Give the client a name.');
  const contact = input.contact?.trim() || null;
  const apiKey = `o311_${deps.random.bytes(32).toString('base64url')}`;
  const row: repo.ClientRow = {
    id: newId(deps.clock, deps.random),
    name,
    key_hash: hashKey(apiKey),
    key_hint: apiKey.slice(-4),
    contact,
    created_by: by,
    created_at: iso(deps.clock.now()),
    revoked_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertClient(trx, row);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: by,
      action: 'open311_client.issued',
      targetKind: 'open311_client',
      targetId: row.id,
      communityId: null,
      detail: { name, keyHint: row.key_hint },
    });
  });
  return { client: presentClient(row), apiKey };
}

/** Revoke a client's key (audited); false when there is no such live client. */
export async function revokeKey(deps: AppDeps, id: string, by: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.revokeClient(trx, id, iso(deps.clock.now())))) return false;
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: by,
      action: 'open311_client.revoked',
      targetKind: 'open311_client',
      targetId: id,
      communityId: null,
    });
    return true;
  });
}

/** The live client of a key, or undefined. */
export async function clientOfKey(deps: AppDeps, key: string | undefined) {
  if (!key || key.length > 200) return undefined;
  return repo.findLiveByHash(deps.db, hashKey(key));
}
