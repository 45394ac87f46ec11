/**
 * A reserved parcel becomes stored: its code is made, kept only as a hash and a
 * recipient-only ciphertext, and the recipient is told by SMS (and in the app) where,
 * which compartment, the code, until when storage is free and what happens after — the
 * community's own overdue policy, as the regulation asks. A parcel that joined another
 * one for the same recipient in the same compartment takes that parcel's code.
 */
import type { Executor } from '../../../db/database.ts';
import { occupyCompartment } from '../../lockers/index.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { afterDeadlineText, deadlineText, policyFor } from '../overdue/overdue.policy.ts';
import { codeHash, codeKey, newPickupCode, openCode, sealCode } from '../core/pickup-code.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import { queueSms } from '../notices/sms-outbox.service.ts';
import { compartmentText } from '../core/compartment-text.ts';

/** A code stops working this long after storing; the parcel then moves to the hall (overdue policy). */
export const CODE_VALID_HOURS = 7 * 24;
/** Takeout should be collected quickly. */
export const TAKEOUT_FREE_HOURS = 2;

type Ctx = Pick<AppDeps, 'clock' | 'random' | 'config'>;

/** A new code for a locker, not yet checked against the live ones there: the code, its lookup hash and its sealed copy. */
export function drawCode(
  ctx: Pick<Ctx, 'random' | 'config'>,
  lockerId: string,
): { code: string; hash: string; cipher: string } {
  const code = newPickupCode(ctx.random);
  return {
    code,
    hash: codeHash(codeKey(ctx), lockerId, code),
    cipher: sealCode(ctx.config.secrets.phoneKey, code),
  };
}

/** A new code for a locker, distinct from every live parcel's there. */
export async function freshCode(
  db: Executor,
  ctx: Ctx,
  lockerId: string,
): Promise<{ code: string; hash: string; cipher: string }> {
  let code = drawCode(ctx, lockerId);
  while (await parcels.codeInUse(db, lockerId, code.hash)) code = drawCode(ctx, lockerId);
  return code;
}

/** Mark a reserved parcel stored, make its code (or take its group's) and queue its notices. Returns false if it was no longer reserved. */
export async function storeParcel(
  db: Executor,
  ctx: Ctx,
  parcel: parcels.ParcelRow,
  source: 'device' | 'api',
): Promise<boolean> {
  const now = ctx.clock.now();
  const policy = await policyFor(db, parcel.community_id);
  const freeHours = parcel.kind === 'takeout' ? TAKEOUT_FREE_HOURS : policy.freeHours;
  const freeUntil = iso(now + freeHours * 3600_000);
  // A joiner takes the code of a parcel already stored in its compartment (its lead, or a mate if the lead was given up).
  const mate = parcel.together_with
    ? (await parcels.liveParcelsAt(db, parcel.locker_id, parcel.compartment)).find(
        (x) => x.id !== parcel.id && x.status === 'stored' && x.code_cipher,
      )
    : undefined;
  // A code made at the deposit (contract v2: the open carried it to the locker) is kept.
  const own =
    parcel.code_cipher && parcel.code_hash
      ? {
          code: openCode(ctx.config.secrets.phoneKey, parcel.code_cipher),
          hash: parcel.code_hash,
          cipher: parcel.code_cipher,
        }
      : undefined;
  const code =
    own ??
    (mate
      ? {
          code: openCode(ctx.config.secrets.phoneKey, mate.code_cipher!),
          hash: mate.code_hash!,
          cipher: mate.code_cipher!,
        }
      : await freshCode(db, ctx, parcel.locker_id));
  const until = mate?.free_until ?? freeUntil;
  const stored = await parcels.transition(db, parcel.id, 'reserved', {
    status: 'stored',
    code_hash: code.hash,
    code_cipher: code.cipher,
    code_verifier: own ? parcel.code_verifier : mate ? mate.code_verifier : null,
    code_expires_at: own
      ? (parcel.code_expires_at ?? iso(now + CODE_VALID_HOURS * 3600_000))
      : mate
        ? mate.code_expires_at
        : iso(now + CODE_VALID_HOURS * 3600_000),
    stored_at: iso(now),
    free_until: until,
    reserved_until: null,
    updated_at: iso(now),
  });
  if (!stored) return false;
  await occupyCompartment(db, parcel.locker_id, parcel.compartment, iso(now));
  await recordParcelEvent(
    db,
    ctx,
    { ...parcel, stored_at: iso(now) },
    {
      type: 'stored',
      actorId: null,
      source,
      detail: { compartment: parcel.compartment, ...(mate ? { together: true } : {}) },
    },
  );
  await queueNotices(db, ctx, parcel, code.code, until, afterDeadlineText(policy));
  return true;
}

async function queueNotices(
  db: Executor,
  ctx: Ctx,
  parcel: parcels.ParcelRow,
  code: string,
  freeUntil: string,
  after: string,
): Promise<void> {
  // Outgoing parcels have no recipient: the carrier's couriers see them in their list instead.
  if (!parcel.recipient_phone_cipher) return;
  const place = await parcels.lockerPlace(db, parcel.locker_id);
  const deadline = deadlineText(freeUntil);
  const what = parcel.kind === 'takeout' ? '外卖' : '快递';
  const policy = parcel.kind === 'takeout' ? '请尽快取餐，超时后由服务馆工作人员清理。' : after;
  const opening =
    parcel.kind === 'neighbour'
      ? '【蚁巢】您的邻居给您寄存了物品，已存入'
      : `【蚁巢】您的${what}已存入`;
  const note = parcel.kind === 'neighbour' && parcel.note ? `留言：${parcel.note}。` : '';
  const text = `${opening}${compartmentText(place, parcel.compartment)}，取件码 ${code}，${deadline}前免费保管。${note}${policy}`;
  const now = iso(ctx.clock.now());
  const base = {
    community_id: parcel.community_id,
    parcel_id: parcel.id,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    sent_at: null,
  };
  const sms = {
    ...base,
    id: newId(ctx.clock, ctx.random),
    user_id: parcel.recipient_user_id,
    channel: 'sms' as const,
    phone_cipher: parcel.recipient_phone_cipher,
    body: text,
    topic: 'parcel_arrived',
  };
  // The in-app copy carries no code: the app shows the code from the parcel itself, to its
  // recipient only. It goes in with the SMS, in one statement (so it sets the same columns).
  const app = parcel.recipient_user_id
    ? [
        {
          ...base,
          id: newId(ctx.clock, ctx.random),
          user_id: parcel.recipient_user_id,
          channel: 'app' as const,
          phone_cipher: null,
          body: text.replace(code, '（见“我的包裹”）'),
          status: 'sent' as const,
          sent_at: now,
          topic: null,
        },
      ]
    : [];
  await queueSms(db, ctx, sms, app);
}
