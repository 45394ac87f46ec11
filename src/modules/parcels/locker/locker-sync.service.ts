/**
 * Keeping a locker's offline verifiers in step with the cloud: the complete set of its
 * stored parcels' codes, and its screen's header and key. The verifier's scrypt runs
 * outside any transaction (it is deliberately slow).
 */
import {
  type CodeVerifier,
  codeSealKey,
  DEFAULT_KDF,
  makeCodeVerifier,
  type SealedCode,
  sealCodeForLocker,
} from '../../../contract/index.ts';
import {
  bumpSyncRevision,
  enqueueCommand,
  findLocker,
  stableCommandId,
} from '../../lockers/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import * as parcels from '../core/parcel.repository.ts';
import { screenKeyFor } from '../pickup/screen-key.ts';
import { openCode } from '../core/pickup-code.ts';

/**
 * Send the locker the complete set of its stored parcels' codes (and of reservations whose
 * code a v2 open already carried, `syncSetAtLocker`): sealed for the locker
 * when the cloud knows its secret hash (the locker derives the verifiers, ADR 0017), or
 * as verifiers computed here (cached per parcel) for a locker without one.
 *
 * The revision is the locker's counter, raised in the transaction that reads the set and
 * queues the command (ADR 0017, amended): the row lock orders concurrent syncs of one
 * locker, so a higher revision never carries an older set.
 */
export async function syncLocker(deps: AppDeps, lockerId: string): Promise<void> {
  const locker = await findLocker(deps.db, lockerId);
  if (!locker) return;
  // The slow verifiers (a locker without a secret hash) are made before the transaction.
  if (!locker.secret_hash) await cacheVerifiers(deps, lockerId);
  const place = await screenPlaceOf(deps, lockerId);
  await deps.db.transaction().execute(async (trx) => {
    const target = await bumpSyncRevision(trx, lockerId, deps.clock.now());
    if (!target) return;
    const stored = await parcels.syncSetAtLocker(trx, lockerId);
    const sealKey = target.secret_hash ? codeSealKey(target.secret_hash) : null;
    const verifiers = [];
    for (const p of stored) {
      const entry = codeEntry(deps, sealKey, p);
      if (entry) verifiers.push(entry);
    }
    const revision = target.sync_revision;
    await enqueueCommand(trx, deps, {
      lockerId,
      communityId: target.community_id,
      body: {
        type: 'sync',
        revision,
        kdf: DEFAULT_KDF,
        verifiers,
        screenKey: screenKeyFor(deps.config, lockerId),
        ...(place ? { place } : {}),
      },
      commandId: stableCommandId('sync', lockerId, String(revision)),
    });
  });
  deps.outbox.kick();
}

/** The validity a code gets on the locker when the parcel has none recorded. */
const DEFAULT_CODE_VALID_MS = 86_400_000;

/** One parcel's code as the locker takes it: sealed for it, or a cached verifier; null without a code (or a verifier not made yet). */
export function codeEntry(
  deps: Pick<AppDeps, 'clock' | 'config'>,
  sealKey: Buffer | null,
  p: Pick<
    parcels.ParcelRow,
    'id' | 'compartment' | 'code_cipher' | 'code_verifier' | 'code_expires_at'
  >,
): CodeVerifier | SealedCode | null {
  if (!p.code_cipher) return null;
  const expiresAt = p.code_expires_at ?? iso(deps.clock.now() + DEFAULT_CODE_VALID_MS);
  if (sealKey)
    return {
      parcelId: p.id,
      compartment: p.compartment,
      sealed: sealCodeForLocker(
        sealKey,
        p.id,
        openCode(deps.config.secrets.phoneKey, p.code_cipher),
      ),
      expiresAt,
    };
  if (!p.code_verifier) return null;
  const v = JSON.parse(p.code_verifier) as { salt: string; hash: string };
  return { parcelId: p.id, compartment: p.compartment, salt: v.salt, hash: v.hash, expiresAt };
}

/** Make and keep the scrypt verifier of every stored parcel at the locker that has none (outside any transaction: it is slow). */
async function cacheVerifiers(deps: AppDeps, lockerId: string): Promise<void> {
  for (const p of await parcels.storedAtLocker(deps.db, lockerId)) {
    if (!p.code_cipher || p.code_verifier) continue;
    const v = await makeCodeVerifier(
      openCode(deps.config.secrets.phoneKey, p.code_cipher),
      deps.random.bytes,
      DEFAULT_KDF,
    );
    await parcels.updateParcel(deps.db, p.id, { code_verifier: JSON.stringify(v) });
  }
}

/** What the locker's screen header says: compound, building/unit and cabinet (never the machine id). */
async function screenPlaceOf(deps: AppDeps, lockerId: string): Promise<string | null> {
  const p = await parcels.lockerPlace(deps.db, lockerId).catch(() => undefined);
  if (!p) return null;
  // Cabinets are often named after their door ("1栋1单元门口智能柜"): say the door once.
  const cabinet = p.locker.startsWith(p.site) ? p.locker.slice(p.site.length).trim() : p.locker;
  return `${p.compound} ${p.site}${cabinet ? ` · ${cabinet}` : ''}`.slice(0, 80);
}

/** Called when the set of stored parcels at a locker changed (its offline verifiers need a sync). */
/**
 * A locker's parcels changed: sync its codes shortly and send due notices. `sync: false` when
 * the locker already holds the codes (a v2 open carried them): the notices go, no sync.
 */
export type LockerChanged = (lockerId: string, sync?: boolean) => void;
