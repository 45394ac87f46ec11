/**
 * The courier's side of consent (ADR 0009): look up a recipient's preference for their
 * carrier (never the phone or the flat), ask them first, and read the answer. Look-ups
 * and asks are rate limited: both reveal whether a phone has an account.
 */
import { normalizePhone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { notFound } from '../../../platform/errors.ts';
import { limit } from '../../../platform/limits.ts';
import { hitLimits, type Limit } from '../../../platform/rate-limit.ts';
import * as repo from './consent.repository.ts';
import { type ConsentStatus } from './consent.table.ts';
import {
  type ConsentRequest,
  deliveryPreference,
  type RecipientPreference,
  requestConsent,
  toConsentRequest,
} from './consent.service.ts';

/** A courier acting for one carrier. */
export interface CourierActor {
  userId: string;
  carrierId: string;
}

const lookupLimit = (courierId: string): Limit => limit('recipientLookupsPerCourier', courierId);

/** Count a deposit the recipient's preference refused as a look-up: the refusal says as much as one (has an account, wants X). */
export async function countRefusalAsLookup(deps: AppDeps, courierId: string): Promise<void> {
  await hitLimits(deps.db, deps.clock, [lookupLimit(courierId)]);
}

/** A courier's look-up of a recipient's preference for their carrier, counted against the courier's hourly limit. */
export async function lookUpRecipient(
  deps: AppDeps,
  courier: CourierActor,
  recipientPhone: string,
): Promise<RecipientPreference> {
  await hitLimits(deps.db, deps.clock, [lookupLimit(courier.userId)]);
  return deliveryPreference(deps.db, {
    recipientPhoneHash: deps.vault.hash(normalizePhone(recipientPhone)),
    carrierId: courier.carrierId,
  });
}

/** What a courier may know before depositing: the mode for their carrier and the alias, never the phone or a flat. */
export async function recipientPreferenceForCourier(
  deps: AppDeps,
  courier: CourierActor,
  recipientPhone: string,
): Promise<{ mode: RecipientPreference['mode']; alias: string | null; hasAccount: boolean }> {
  const pref = await lookUpRecipient(deps, courier, recipientPhone);
  return { mode: pref.mode, alias: pref.alias, hasAccount: pref.userId !== null };
}

/** A consent request as the courier who sent it sees it: no recipient data. */
export interface CourierConsentView {
  id: string;
  status: ConsentStatus;
  lockerId: string;
  waybillTail: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
}

const presentForCourier = (r: ConsentRequest): CourierConsentView => ({
  id: r.id,
  status: r.status,
  lockerId: r.lockerId,
  waybillTail: r.waybillTail,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  decidedAt: r.decidedAt,
});

/** A courier asks the recipient, in the app, to consent to this locker delivery. */
export async function askRecipient(
  deps: AppDeps,
  courier: CourierActor,
  input: { recipientPhone: string; lockerId: string; waybill: string },
): Promise<CourierConsentView> {
  await hitLimits(deps.db, deps.clock, [lookupLimit(courier.userId)]);
  const recipientPhoneHash = deps.vault.hash(normalizePhone(input.recipientPhone));
  const r = await deps.db.transaction().execute((trx) =>
    requestConsent(trx, deps, {
      recipientPhoneHash,
      carrierId: courier.carrierId,
      courierId: courier.userId,
      lockerId: input.lockerId,
      waybill: input.waybill,
    }),
  );
  return presentForCourier(r);
}

/** The status of a request this courier sent (404 for anyone else's). */
export async function courierConsentStatus(
  deps: AppDeps,
  courierId: string,
  requestId: string,
): Promise<CourierConsentView> {
  const r = await repo.findCourierConsentRequest(deps.db, requestId, courierId);
  if (!r) throw notFound('That consent request');
  return presentForCourier(toConsentRequest(r, deps.clock.now()));
}
