/**
 * Keeping a locker's offline verifiers in step with the cloud: the complete set of its
 * stored parcels' codes, and its screen's header and key. The verifier's scrypt runs
 * outside any transaction (it is deliberately slow).
 */
import {
  codeSealKey,
  DEFAULT_KDF,
  makeCodeVerifier,
  sealCodeForLocker,
} from '../../../contract/index.ts';
import { enqueueCommand, stableCommandId, findLocker } from '../../lockers/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import * as parcels from '../core/parcel.repository.ts';
import { screenKeyFor } from '../pickup/screen-key.ts';
import { openCode } from '../core/pickup-code.ts';

/**
 * Send the locker the complete set of its stored parcels' codes: sealed for the locker
 * when the cloud knows its secret hash (the locker derives the verifiers, ADR 0017), or
 * as verifiers computed here (cached per parcel) for a locker without one.
 */
export async function syncLocker(deps: AppDeps, lockerId: string): Promise<void> {
  const locker = await findLocker(deps.db, lockerId);
  if (!locker) return;
  const stored = await parcels.storedAtLocker(deps.db, lockerId);
  const sealKey = locker.secret_hash ? codeSealKey(locker.secret_hash) : null;
  const verifiers = [];
  for (const p of stored) {
    if (!p.code_cipher) continue;
    const expiresAt = p.code_expires_at ?? iso(deps.clock.now() + 86_400_000);
    if (sealKey) {
      verifiers.push({
        parcelId: p.id,
        compartment: p.compartment,
        sealed: sealCodeForLocker(
          sealKey,
          p.id,
          openCode(deps.config.secrets.phoneKey, p.code_cipher),
        ),
        expiresAt,
      });
      continue;
    }
    let v = p.code_verifier
      ? (JSON.parse(p.code_verifier) as { salt: string; hash: string })
      : null;
    if (!v) {
      v = await makeCodeVerifier(
        openCode(deps.config.secrets.phoneKey, p.code_cipher),
        deps.random.bytes,
        DEFAULT_KDF,
      );
      await parcels.updateParcel(deps.db, p.id, { code_verifier: JSON.stringify(v) });
    }
    verifiers.push({
      parcelId: p.id,
      compartment: p.compartment,
      salt: v.salt,
      hash: v.hash,
      expiresAt,
    });
  }
  const revision = deps.clock.now();
  const place = await screenPlaceOf(deps, lockerId);
  await enqueueCommand(deps.db, deps, {
    lockerId,
    communityId: locker.community_id,
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
  deps.outbox.kick();
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
export type LockerChanged = (lockerId: string) => void;
