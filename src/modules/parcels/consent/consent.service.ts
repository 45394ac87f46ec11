/**
 * Consent to locker delivery (ADR 0009). Residents keep per-carrier delivery preferences
 * and an address alias; a courier learns the preference for their carrier (never the
 * phone or the flat) and, when it is "ask me first", sends a consent request the resident
 * answers once in the app. A pending request past its expiry reads as expired everywhere.
 */
import type { Executor } from '../../../db/database.ts';
import { type Clock, iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import { LIMITS, limit } from '../../../platform/limits.ts';
import { hitLimits } from '../../../platform/rate-limit.ts';
import { findUserByPhoneHash } from '../../identity/index.ts';
import { lockerSite } from '../../lockers/index.ts';
import * as repo from './consent.repository.ts';
import { ANY_CARRIER, type ConsentStatus, type DeliveryMode } from './consent.table.ts';
import { emitConsentDeclined } from './consent.events.ts';

/** How long a courier's consent request stays answerable. */
export const CONSENT_TTL_MS = 2 * 60 * 60 * 1000;
/** Recipient look-ups per courier per hour: both courier endpoints reveal whether a phone has an account. */
export const LOOKUPS_PER_COURIER_PER_HOUR = LIMITS.recipientLookupsPerCourier.max;
/** Consent requests one resident may receive per hour from all couriers together. */
export const ASKS_PER_RECIPIENT_PER_HOUR = LIMITS.consentAsksPerRecipient.max;

/** A consent request as other modules see it; `status` already accounts for expiry. */
export interface ConsentRequest {
  id: string;
  communityId: string;
  recipientUserId: string;
  carrierId: string;
  courierId: string;
  lockerId: string;
  waybillTail: string;
  status: ConsentStatus;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
}

/** What is on record for a recipient: 'unknown' when the phone has no (active) account, so no consent is on record. */
export interface RecipientPreference {
  mode: DeliveryMode | 'unknown';
  userId: string | null;
  alias: string | null;
  /** The mode comes from a row for this very carrier (not the default): what covers takeout platforms. */
  forThisCarrier: boolean;
}

const NO_ACCOUNT =
  '这个号码没有蚁巢账号，无法在 App 里征得同意：请电话或短信联系收件人。The recipient has no antnest account, so consent cannot be asked in the app: call or text them before using a locker.';

function statusAt(r: repo.ConsentRequestRow, now: number): ConsentStatus {
  return r.status === 'pending' && Date.parse(r.expires_at) <= now ? 'expired' : r.status;
}

/** A stored request as other modules see it. */
export function toConsentRequest(r: repo.ConsentRequestRow, now: number): ConsentRequest {
  return {
    id: r.id,
    communityId: r.community_id,
    recipientUserId: r.recipient_user_id,
    carrierId: r.carrier_id,
    courierId: r.courier_id,
    lockerId: r.locker_id,
    waybillTail: r.waybill_tail,
    status: statusAt(r, now),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: r.decided_at,
  };
}

/** The recipient's delivery mode for one carrier (carrier row, else default, else 'ask_first'), and their alias. */
export async function deliveryPreference(
  db: Executor,
  q: { recipientPhoneHash: string; carrierId: string },
): Promise<RecipientPreference> {
  return preferenceOf(db, await findUserByPhoneHash(db, q.recipientPhoneHash), q.carrierId);
}

/** deliveryPreference for the account the phone belongs to, already looked up (undefined: none). */
export async function preferenceOf(
  db: Executor,
  user: { id: string; status: string } | undefined,
  carrierId: string,
): Promise<RecipientPreference> {
  if (!user || user.status !== 'active')
    return { mode: 'unknown', userId: null, alias: null, forThisCarrier: false };
  const rows = await repo.preferencesFor(db, user.id, carrierId);
  const own = rows.find((r) => r.carrier_id === carrierId);
  const row = own ?? rows.find((r) => r.carrier_id === ANY_CARRIER);
  // No preference saved means no consent given: the regulation forbids assuming the locker.
  return {
    mode: row?.mode ?? 'ask_first',
    userId: user.id,
    alias: (await repo.findAlias(db, user.id))?.text ?? null,
    forThisCarrier: own !== undefined,
  };
}

/** The last four letters or digits of a waybill, as consent requests remember it. */
export function waybillTail(waybill: string): string {
  return waybill
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-4)
    .toUpperCase();
}

/** Whether the recipient accepted this courier's request for this parcel at this locker within CONSENT_TTL_MS. */
export async function consentGiven(
  db: Executor,
  ctx: { clock: Clock },
  q: { recipientUserId: string; courierId: string; lockerId: string; waybill: string },
): Promise<boolean> {
  const key = {
    recipient_user_id: q.recipientUserId,
    courier_id: q.courierId,
    locker_id: q.lockerId,
    waybill_tail: waybillTail(q.waybill),
  };
  return (await repo.findAccepted(db, key, iso(ctx.clock.now() - CONSENT_TTL_MS))) !== undefined;
}

/** Ask a recipient with an account to consent to one locker delivery (pending for 2 h); asking again while it is live returns the same request. */
export async function requestConsent(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  input: {
    recipientPhoneHash: string;
    carrierId: string;
    courierId: string;
    lockerId: string;
    waybill: string;
  },
): Promise<ConsentRequest> {
  const user = await findUserByPhoneHash(db, input.recipientPhoneHash);
  if (!user || user.status !== 'active') throw conflict(NO_ACCOUNT);
  const locker = await lockerSite(db, input.lockerId);
  if (!locker) throw notFound('That locker');
  const tail = waybillTail(input.waybill);
  if (tail.length < 4)
    throw new AppError('validation_failed', 'A waybill number has at least 4 letters or digits.');
  const now = ctx.clock.now();
  const key = {
    recipient_user_id: user.id,
    courier_id: input.courierId,
    locker_id: input.lockerId,
    waybill_tail: tail,
  };
  const live = await repo.findLiveDuplicate(db, key, iso(now));
  if (live) return toConsentRequest(live, now);
  await hitLimits(db, ctx.clock, [limit('consentAsksPerRecipient', user.id)]);
  const row: repo.ConsentRequestRow = {
    ...key,
    id: newId(ctx.clock, ctx.random),
    community_id: locker.community_id,
    carrier_id: input.carrierId,
    status: 'pending',
    created_at: iso(now),
    expires_at: iso(now + CONSENT_TTL_MS),
    decided_at: null,
  };
  await repo.insertConsentRequest(db, row);
  return toConsentRequest(row, now);
}

/** One consent request with its current status; null when it does not exist. */
export async function consentStatus(
  db: Executor,
  ctx: { clock: Clock },
  requestId: string,
): Promise<ConsentRequest | null> {
  const r = await repo.findConsentRequest(db, requestId);
  return r ? toConsentRequest(r, ctx.clock.now()) : null;
}

/** A consent request as its recipient sees it. */
export interface ConsentRequestView {
  id: string;
  carrierId: string;
  carrierName: string;
  lockerId: string;
  lockerName: string;
  waybillTail: string;
  status: ConsentStatus;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
}

function presentForRecipient(r: repo.ConsentRequestNamedRow, now: number): ConsentRequestView {
  return {
    id: r.id,
    carrierId: r.carrier_id,
    carrierName: r.carrier_name,
    lockerId: r.locker_id,
    lockerName: r.locker_name,
    waybillTail: r.waybill_tail,
    status: statusAt(r, now),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: r.decided_at,
  };
}

/** Consent requests addressed to me, newest first. */
export async function myConsentRequests(
  deps: AppDeps,
  userId: string,
  q: { status?: ConsentStatus; limit: number },
): Promise<ConsentRequestView[]> {
  const now = deps.clock.now();
  const rows = await repo.listRecipientConsentRequests(deps.db, userId, { ...q, now: iso(now) });
  return rows.map((r) => presentForRecipient(r, now));
}

/** Answer a consent request addressed to me: once, before it expires (409 otherwise; 404 when it is not mine). */
export async function decideConsent(
  deps: AppDeps,
  userId: string,
  requestId: string,
  accept: boolean,
): Promise<ConsentRequestView> {
  const now = deps.clock.now();
  // One conditional update decides it, so two answers racing cannot both win; a refusal is
  // told (the carrier report counts it) in the same transaction.
  const decided = await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.decideConsentRequest(trx, {
      id: requestId,
      recipientUserId: userId,
      status: accept ? 'accepted' : 'declined',
      at: iso(now),
    });
    const r = ok && !accept ? await repo.findConsentRequest(trx, requestId) : undefined;
    if (r)
      await emitConsentDeclined(trx, {
        id: r.id,
        communityId: r.community_id,
        lockerId: r.locker_id,
        carrierId: r.carrier_id,
        at: r.decided_at!,
      });
    return ok;
  });
  const row = await repo.findRecipientConsentRequest(deps.db, requestId, userId);
  if (!row) throw notFound('That consent request');
  if (decided) return presentForRecipient(row, now);
  if (statusAt(row, now) === 'expired') {
    await repo.markExpired(deps.db, requestId, iso(now));
    throw conflict(
      `这个请求已于 ${row.expires_at} 过期。This request expired at ${row.expires_at}; the courier has to ask again.`,
    );
  }
  throw conflict(
    `这个请求已经答复过了。You already ${row.status} this request at ${row.decided_at}; an answer cannot be changed.`,
  );
}
