/**
 * Contract v2 (ADR 0017, amended by issue 19): a deposit's `open` carries the new parcel's
 * code sealed for the locker, with the locker's next sync revision, so the locker has the
 * code for offline pickup without a `sync` round trip after the store. The code is made at
 * the deposit (kept as hash and recipient-only ciphertext like any code; it opens nothing
 * online before the parcel is stored) and the store keeps it.
 */
import { codeSealKey, type SealedCode, sealCodeForLocker } from '../../../contract/index.ts';
import type { Executor } from '../../../db/database.ts';
import { bumpSyncRevision, type LockerRow } from '../../lockers/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { openCode } from '../core/pickup-code.ts';
import * as parcels from '../core/parcel.repository.ts';
import { CODE_VALID_HOURS, drawCode, freshCode } from './store.service.ts';

/** What an open needs to carry a code: the locker's seal key and the revision it moves the code set to. */
export interface CarriedRevision {
  sealKey: Buffer;
  revision: number;
}

/**
 * For a v2 locker whose secret the cloud knows: raise its sync revision (taking its row
 * lock) and return it with the seal key. Null for a v1 locker or one without a secret
 * hash (those get the code by `sync` after the store, as before).
 */
export async function carriedCodeRevision(
  db: Executor,
  deps: Pick<AppDeps, 'clock'>,
  locker: LockerRow,
): Promise<CarriedRevision | null> {
  if (locker.contract_version !== 'v2' || !locker.secret_hash) return null;
  const target = await bumpSyncRevision(db, locker.id, deps.clock.now());
  if (!target?.secret_hash) return null;
  return { sealKey: codeSealKey(target.secret_hash), revision: target.sync_revision };
}

/**
 * The code columns of a new reservation: its lead's when it joins one that has a code, or a
 * new one. A parcel of its own draws it unchecked: the reservation's insert finds out whether
 * a live parcel at the locker has it already (`insertReservation`, by the unique index) and
 * draws again then. A joiner is outside that index (its lead's row holds the group's code
 * there), so a new code for one is looked up first.
 */
export async function codeForDeposit(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'random' | 'config'>,
  lockerId: string,
  lead: parcels.ParcelRow | undefined,
): Promise<Pick<parcels.ParcelRow, 'code_hash' | 'code_cipher' | 'code_expires_at'>> {
  if (lead?.code_cipher && lead.code_hash)
    return {
      code_hash: lead.code_hash,
      code_cipher: lead.code_cipher,
      code_expires_at: lead.code_expires_at,
    };
  const code = lead ? await freshCode(db, deps, lockerId) : drawCode(deps, lockerId);
  return {
    code_hash: code.hash,
    code_cipher: code.cipher,
    code_expires_at: iso(deps.clock.now() + CODE_VALID_HOURS * 3600_000),
  };
}

/** The open command's `code` and `revision` for a parcel whose code was made by codeForDeposit. */
export function carriedCode(
  deps: Pick<AppDeps, 'clock' | 'config'>,
  carries: CarriedRevision,
  p: Pick<parcels.ParcelRow, 'id' | 'compartment' | 'code_cipher' | 'code_expires_at'>,
): { code: SealedCode; revision: number } | Record<string, never> {
  if (!p.code_cipher) return {};
  return {
    code: {
      parcelId: p.id,
      compartment: p.compartment,
      sealed: sealCodeForLocker(
        carries.sealKey,
        p.id,
        openCode(deps.config.secrets.phoneKey, p.code_cipher),
      ),
      expiresAt: p.code_expires_at ?? iso(deps.clock.now() + CODE_VALID_HOURS * 3600_000),
    },
    revision: carries.revision,
  };
}

/**
 * Insert a new reservation. A new code that a live parcel at the locker already has is refused
 * by parcels_live_code_unique, and drawn again; this replaces a look-up before every insert
 * (a collision is about one in a million at a busy locker). Returns the row as inserted.
 */
export async function insertReservation(
  db: Executor,
  deps: Pick<AppDeps, 'random' | 'config'>,
  parcel: parcels.ParcelRow,
): Promise<parcels.ParcelRow> {
  for (let row = parcel; ;) {
    if (await parcels.insertParcelUnlessTaken(db, row)) return row;
    const ownCode = row.code_hash !== null && row.together_with === null;
    if (!ownCode || !(await parcels.codeInUse(db, row.locker_id, row.code_hash!))) {
      // Not the code: let the constraint that refused it say so (the HTTP layer answers 409).
      await parcels.insertParcel(db, row);
      return row;
    }
    const code = drawCode(deps, row.locker_id);
    row = { ...row, code_hash: code.hash, code_cipher: code.cipher };
  }
}
