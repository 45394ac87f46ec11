/**
 * Sharing a pickup with family (issue 4, item 4): the recipient names a phone; that
 * person sees the parcel (and its code) in their app, or gets the code by SMS when they
 * have no account, and may open it. Revoking ends the share and gives the parcel a new
 * code, so a code already passed on stops working too.
 */
import { findUserByPhoneHash } from '../../identity/index.ts';
import { iso, newId } from '../../../platform/clock.ts';
import { maskPhone, normalizePhone, type Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import type { Executor } from '../../../db/database.ts';
import { userSmsLimits } from '../../../platform/limits.ts';
import { hitLimits } from '../../../platform/rate-limit.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as notificationRepo from '../core/notification.repository.ts';
import { syncLocker } from '../locker/locker-sync.service.ts';
import { ownParcel } from '../core/parcel.service.ts';
import { codeHash, codeKey, openCode, sealCode } from '../core/pickup-code.ts';
import * as shares from './share.repository.ts';
import { freshCode } from '../deposit/store.service.ts';
import { compartmentText } from '../core/compartment-text.ts';

/** At most this many people share one parcel at a time. */
export const MAX_SHARES = 5;

const SHAREABLE: parcels.ParcelRow['status'][] = ['stored', 'at_hall'];

/** A share as its owner sees it (the phone masked even for them: it is someone else's number). */
export function presentShare(s: shares.ShareRow, vault: AppDeps['vault']) {
  return {
    shareId: s.id,
    phone: s.phone_cipher ? maskPhone(vault.decrypt(s.phone_cipher)) : null,
    createdAt: s.created_at,
  };
}

async function ownWaiting(
  db: Executor,
  userId: string,
  parcelId: string,
): Promise<parcels.ParcelRow> {
  const p = await ownParcel(db, userId, parcelId);
  if (!SHAREABLE.includes(p.status))
    throw conflict('Only a parcel waiting for pickup can be shared.');
  return p;
}

/** Share the pickup of my waiting parcel with a phone; sharing again with the same phone returns the same share. */
export async function shareParcel(
  deps: AppDeps,
  userId: string,
  parcelId: string,
  phoneInput: string,
) {
  const phone = normalizePhone(phoneInput);
  const phoneHash = deps.vault.hash(phone);
  return deps.db.transaction().execute(async (trx) => {
    const p = await ownWaiting(trx, userId, parcelId);
    if (p.recipient_phone_hash === phoneHash)
      throw new AppError(
        'validation_failed',
        'That is the phone the parcel is addressed to; share it with someone else.',
      );
    const active = await shares.activeShares(trx, p.id);
    const same = active.find((s) => s.phone_hash === phoneHash);
    if (same) return presentShare(same, deps.vault);
    if (active.length >= MAX_SHARES)
      throw conflict(`A parcel can be shared with at most ${MAX_SHARES} people; revoke one first.`);
    // Every new share texts the phone (finding 3: share + revoke eight times sent eight SMS);
    // counted in this transaction, so a refused share leaves nothing behind.
    await hitLimits(trx, deps.clock, userSmsLimits(userId, phoneHash));
    const now = iso(deps.clock.now());
    const row: shares.ShareRow = {
      id: newId(deps.clock, deps.random),
      parcel_id: p.id,
      community_id: p.community_id,
      owner_user_id: userId,
      phone_hash: phoneHash,
      phone_cipher: deps.vault.encrypt(phone),
      created_at: now,
      revoked_at: null,
    };
    await shares.insertShare(trx, row);
    await tellSharee(trx, deps, p, phone, phoneHash);
    await recordParcelEvent(trx, deps, p, {
      type: 'share_added',
      actorId: userId,
      source: 'api',
      detail: { shareId: row.id },
    });
    return presentShare(row, deps.vault);
  });
}

async function tellSharee(
  db: Executor,
  deps: AppDeps,
  p: parcels.ParcelRow,
  phone: Phone,
  phoneHash: string,
): Promise<void> {
  const place = await parcels.lockerPlace(db, p.locker_id);
  const where = p.status === 'at_hall' ? '社区服务馆' : compartmentText(place, p.compartment);
  const code = p.code_cipher ? openCode(deps.config.secrets.phoneKey, p.code_cipher) : '';
  const text = `【蚁巢】家人与您共享了一个包裹的取件权，位于${where}，取件码 ${code}。如非本人操作请忽略。`;
  const user = await findUserByPhoneHash(db, phoneHash);
  const now = iso(deps.clock.now());
  const base = {
    community_id: p.community_id,
    parcel_id: p.id,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  };
  await notificationRepo.insertNotification(db, {
    ...base,
    id: newId(deps.clock, deps.random),
    user_id: user?.id ?? null,
    channel: 'sms',
    phone_cipher: deps.vault.encrypt(phone),
    body: text,
    status: 'pending',
    sent_at: null,
  });
  if (user)
    await notificationRepo.insertNotification(db, {
      ...base,
      id: newId(deps.clock, deps.random),
      user_id: user.id,
      channel: 'app',
      phone_cipher: null,
      body: text.replace(code, '（见“我的包裹”）'),
      status: 'sent',
      sent_at: now,
    });
}

/** The shares of my parcel that are in force. */
export async function listShares(deps: AppDeps, userId: string, parcelId: string) {
  const p = await ownParcel(deps.db, userId, parcelId);
  return (await shares.activeShares(deps.db, p.id)).map((s) => presentShare(s, deps.vault));
}

/** Revoke a share: it ends at once and the parcel (with any parcels sharing its compartment) gets a new code. */
export async function revokeShare(
  deps: AppDeps,
  userId: string,
  parcelId: string,
  shareId: string,
): Promise<void> {
  const lockerId = await deps.db.transaction().execute(async (trx) => {
    const p = await ownParcel(trx, userId, parcelId);
    if (!(await shares.revokeShare(trx, p.id, shareId, iso(deps.clock.now()))))
      throw notFound('That share');
    await recordParcelEvent(trx, deps, p, {
      type: 'share_revoked',
      actorId: userId,
      source: 'api',
      detail: { shareId },
    });
    if (!SHAREABLE.includes(p.status) || !p.code_hash) return null;
    await rotateCode(trx, deps, p, userId);
    return p.status === 'stored' ? p.locker_id : null;
  });
  // The locker must forget the old code's offline verifier (a stored parcel only; the hall checks hashes).
  if (lockerId) await syncLocker(deps, lockerId);
}

async function rotateCode(
  db: Executor,
  deps: AppDeps,
  p: parcels.ParcelRow,
  userId: string,
): Promise<void> {
  const group = [p, ...(await parcels.groupMates(db, p))];
  const code = await freshCode(db, deps, p.locker_id);
  const now = iso(deps.clock.now());
  for (const g of group) {
    await parcels.updateParcel(db, g.id, {
      code_hash: codeHash(codeKey(deps), g.locker_id, code.code),
      code_cipher: sealCode(deps.config.secrets.phoneKey, code.code),
      code_verifier: null,
      updated_at: now,
    });
    await recordParcelEvent(db, deps, g, {
      type: 'code_changed',
      actorId: userId,
      source: 'api',
      detail: { why: 'share_revoked' },
    });
  }
  await notificationRepo.insertNotification(db, {
    id: newId(deps.clock, deps.random),
    community_id: p.community_id,
    parcel_id: p.id,
    user_id: userId,
    channel: 'app',
    phone_cipher: null,
    body: '【蚁巢】共享已取消，包裹的取件码已更换，旧取件码失效。新取件码见“我的包裹”。',
    status: 'sent',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    sent_at: now,
  });
}
