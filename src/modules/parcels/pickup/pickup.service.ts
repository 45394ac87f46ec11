/**
 * Picking up from the app at the locker (issue 4, item 4): scan the QR on the locker
 * screen, or type the code from an SMS into the app. Either way the cloud opens only
 * parcels the caller may reach (their own or shared with them), and wrong codes are
 * throttled per phone as well as per locker, so spreading guesses over lockers or over
 * accounts does not help.
 */
import { screenQrLocker, screenQrValid } from '../../../contract/index.ts';
import type { Executor } from '../../../db/database.ts';
import { enqueueCommand, stableCommandId } from '../../lockers/index.ts';
import * as lockers from '../../lockers/index.ts';
import { findUserById } from '../../identity/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { LIMITS, limit } from '../../../platform/limits.ts';
import { hitLimits, refuseWhenReached } from '../../../platform/rate-limit.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as recipientRepo from '../core/recipient.repository.ts';
import { codeHash, codeKey } from '../core/pickup-code.ts';
import * as shares from '../sharing/share.repository.ts';
import { pickupRefusal } from './pickup.policy.ts';
import { screenKeyFor } from './screen-key.ts';

/** Wrong codes one phone may type in the app per 10 minutes, across all lockers. */
export const WRONG_CODES_PER_PHONE = LIMITS.pickupWrongCodesPerPhone.max;
/** Bad QR scans one account may make per 10 minutes. */
export const BAD_SCANS_PER_USER = LIMITS.pickupBadScansPerUser.max;

/** One compartment opened for the caller. */
export interface Opened {
  parcelId: string;
  compartment: number;
  commandId: string;
}

async function callerPhoneHash(db: Executor, userId: string): Promise<string | null> {
  return (await findUserById(db, userId))?.phone_hash ?? null;
}

/**
 * Queue the open of a parcel's compartment for a pickup from the app (repeats within the
 * minute are the same command); refused while pickup.policy.ts says no (an unpaid fee).
 */
export async function openForPickup(
  trx: Executor,
  deps: AppDeps,
  userId: string,
  p: parcels.ParcelRow,
  via: 'app' | 'qr' | 'app_code',
) {
  const refused = await pickupRefusal(trx, deps.clock, p);
  if (refused) throw new AppError('conflict', refused.message);
  const { command, created } = await enqueueCommand(trx, deps, {
    lockerId: p.locker_id,
    communityId: p.community_id,
    body: { type: 'open', compartment: p.compartment, reason: 'pickup', parcelId: p.id },
    commandId: stableCommandId('app-pickup', p.id, String(Math.floor(deps.clock.now() / 60_000))),
    requestedBy: userId,
    reason: via === 'app' ? 'pickup from app' : `pickup from app (${via})`,
  });
  if (created)
    await recordParcelEvent(trx, deps, p, {
      type: 'pickup_requested',
      actorId: userId,
      source: 'api',
      detail: { via, commandId: command.id },
    });
  return command;
}

/** One open per compartment for these parcels (a group opens once). */
async function openAll(
  trx: Executor,
  deps: AppDeps,
  userId: string,
  list: parcels.ParcelRow[],
  via: 'qr' | 'app_code',
): Promise<Opened[]> {
  const out: Opened[] = [];
  const done = new Set<number>();
  for (const p of list) {
    if (done.has(p.compartment)) continue;
    done.add(p.compartment);
    const command = await openForPickup(trx, deps, userId, p, via);
    out.push({ parcelId: p.id, compartment: p.compartment, commandId: command.id });
  }
  return out;
}

/** The stored parcels at a locker the caller may open: addressed to them, or shared with them. */
async function reachableAt(
  db: Executor,
  userId: string,
  phoneHash: string | null,
  lockerId: string,
  nowIso: string,
): Promise<parcels.ParcelRow[]> {
  const own = await recipientRepo.parcelsOfRecipient(db, userId, phoneHash, {
    live: true,
    limit: 100,
  });
  const sharedIds = phoneHash ? await shares.parcelIdsSharedWith(db, phoneHash) : [];
  const shared = await recipientRepo.parcelsByIds(db, sharedIds, ['stored']);
  return [...own, ...shared].filter(
    (p) =>
      p.locker_id === lockerId &&
      p.status === 'stored' &&
      (!p.code_expires_at || p.code_expires_at > nowIso),
  );
}

/**
 * The locker whose screen QR the caller scanned just now (proof they stand there), or a
 * 400; unreadable or stale scans count against the caller (BAD_SCANS_PER_USER per 10 min).
 */
export async function lockerOfScreenQr(
  deps: AppDeps,
  userId: string,
  qr: string,
): Promise<lockers.LockerRow> {
  const badScans = limit('pickupBadScansPerUser', userId);
  await refuseWhenReached(deps.db, deps.clock, badScans);
  const lockerId = screenQrLocker(qr);
  const locker = lockerId ? await lockers.findLocker(deps.db, lockerId) : undefined;
  if (
    !lockerId ||
    !locker ||
    locker.status !== 'active' ||
    !screenQrValid(
      Buffer.from(screenKeyFor(deps.config, lockerId), 'base64url'),
      lockerId,
      qr,
      deps.clock.now(),
    )
  ) {
    await hitLimits(deps.db, deps.clock, [badScans]);
    throw new AppError(
      'validation_failed',
      lockerId && locker
        ? 'This QR code has expired. Scan the code the locker screen shows now.'
        : 'This is not a locker screen QR code. Scan the code on the locker screen.',
    );
  }
  return locker;
}

/** Scanned the locker screen's QR: open every parcel waiting for the caller there. */
export async function pickupByScan(
  deps: AppDeps,
  userId: string,
  qr: string,
): Promise<{ lockerId: string; opened: Opened[] }> {
  const locker = await lockerOfScreenQr(deps, userId, qr);
  const opened = await deps.db.transaction().execute(async (trx) => {
    const list = await reachableAt(
      trx,
      userId,
      await callerPhoneHash(trx, userId),
      locker.id,
      iso(deps.clock.now()),
    );
    if (list.length === 0) throw notFound('A parcel for you in this locker');
    return openAll(trx, deps, userId, list, 'qr');
  });
  deps.outbox.kick();
  return { lockerId: locker.id, opened };
}

/**
 * Typed a pickup code into the app at a locker (a code from an SMS someone forwarded, or
 * a screen that is hard to use): opens that parcel. Wrong codes count against the caller's
 * phone and against the locker.
 */
export async function pickupByCode(
  deps: AppDeps,
  userId: string,
  lockerId: string,
  code: string,
): Promise<{ lockerId: string; opened: Opened[] }> {
  const phoneHash = await callerPhoneHash(deps.db, userId);
  if (!phoneHash)
    throw new AppError('forbidden', 'Sign in with your phone number to pick up with a code.');
  const perPhone = limit('pickupWrongCodesPerPhone', phoneHash);
  const perLocker = limit('pickupWrongCodesPerLocker', lockerId);
  for (const l of [perPhone, perLocker]) await refuseWhenReached(deps.db, deps.clock, l);
  const locker = await lockers.findLocker(deps.db, lockerId);
  if (!locker || locker.status !== 'active') throw notFound('That locker');
  const p = await parcels.storedByCode(
    deps.db,
    locker.id,
    codeHash(codeKey(deps), locker.id, code),
  );
  if (!p || (p.code_expires_at !== null && p.code_expires_at <= iso(deps.clock.now()))) {
    // Counted outside any transaction, so the hit survives the error.
    await hitLimits(deps.db, deps.clock, [perPhone, perLocker]);
    throw new AppError(
      'validation_failed',
      'That code does not open anything in this locker. Check the code and the locker.',
    );
  }
  const opened = await deps.db
    .transaction()
    .execute((trx) => openAll(trx, deps, userId, [p], 'app_code'));
  deps.outbox.kick();
  return { lockerId: locker.id, opened };
}
