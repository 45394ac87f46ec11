/**
 * The one rule on putting someone's parcel in a locker (ADR 0009; 快递市场管理办法 2024):
 * every deposit a courier or rider makes — from the courier app, at the locker screen,
 * straight through the API — passes through `deposit()`, which calls `checkDelivery`
 * before reserving anything. "door" and "hall" are refused with the alternative named;
 * "ask_first" needs an accepted consent request for that waybill at that locker; a phone
 * with no account has nothing on record (the courier was told to call). Takeout is not
 * express delivery: only a preference the resident set for that takeout platform
 * covers it, not their default.
 */
import type { Executor } from '../../../db/database.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { listHalls } from '../../places/index.ts';
import { findUserByPhoneHash } from '../../identity/index.ts';
import { consentGiven, preferenceOf } from './consent.service.ts';

/** Why a deposit was refused, as the locker screen shows it (contract ScreenOutcome values). */
export type RefusalReason = 'recipient_prefers_door' | 'recipient_prefers_hall' | 'consent_needed';

/** A deposit the recipient's preference does not allow: a 409 whose message names what to do instead. */
export class DeliveryRefused extends AppError {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super('conflict', message);
    this.reason = reason;
  }
}

/** What is being deposited, by whom and where. */
export interface DeliveryCheck {
  kind: 'delivery' | 'takeout';
  courierId: string;
  carrierId: string;
  recipientPhoneHash: string;
  lockerId: string;
  communityId: string;
  waybill: string | null;
}

/**
 * Throw DeliveryRefused unless the recipient's preference allows this locker delivery; returns
 * the id of the account that owns the phone, active or disabled (null without one), which the
 * parcel records as its recipient.
 */
export async function checkDelivery(
  db: Executor,
  deps: Pick<AppDeps, 'clock'>,
  q: DeliveryCheck,
): Promise<string | null> {
  // The account that owns the phone, active or not: a disabled account still owns its parcels.
  const owner = await findUserByPhoneHash(db, q.recipientPhoneHash);
  const pref = await preferenceOf(db, owner, q.carrierId);
  if (pref.mode === 'unknown' || pref.mode === 'locker') return owner?.id ?? null;
  if (q.kind === 'takeout' && !pref.forThisCarrier) return owner?.id ?? null;
  if (pref.mode === 'door') {
    throw new DeliveryRefused(
      'recipient_prefers_door',
      '收件人要求送货上门，请勿投柜，请送到门口。The recipient wants parcels delivered to the door: do not use a locker, deliver it in person.',
    );
  }
  if (pref.mode === 'hall') {
    const halls = (await listHalls(db, [q.communityId]))
      .map((h) => `${h.name}（${h.address}）`)
      .join('、');
    const where = halls || '社区服务馆';
    throw new DeliveryRefused(
      'recipient_prefers_hall',
      `收件人要求放到服务馆：${where}，请勿投柜。The recipient wants parcels left at the service hall: ${where}.`,
    );
  }
  const given =
    pref.userId && q.waybill
      ? await consentGiven(db, deps, {
          recipientUserId: pref.userId,
          courierId: q.courierId,
          lockerId: q.lockerId,
          waybill: q.waybill,
        })
      : false;
  if (!given) {
    throw new DeliveryRefused(
      'consent_needed',
      '收件人要求投柜前先征得同意：请点“先问一下”，收件人在 App 里同意后再开柜投递（或电话联系）。The recipient asks to be asked first: send a consent request for this waybill at this locker and deposit once they accept.',
    );
  }
  return owner?.id ?? null;
}
