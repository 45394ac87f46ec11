/**
 * Consent to locker delivery (ADR 0009). Residents keep per-carrier delivery preferences
 * and an address alias; a courier learns the preference for their carrier (never the
 * phone or the flat) and, when it is "ask me first", sends a consent request the resident
 * answers once in the app. A pending request past its expiry reads as expired everywhere.
 */
import type { Executor } from '../../db/database.ts';
import type { Grant } from '../../platform/auth/access.ts';
import { type Clock, iso, newId } from '../../platform/clock.ts';
import { normalizePhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { LIMITS, limit } from '../../platform/limits.ts';
import { hitLimits, type Limit } from '../../platform/rate-limit.ts';
import { findUserByPhoneHash } from '../identity/index.ts';
import { lockerSite } from '../lockers/index.ts';
import { listCarriers, type CarrierRow } from '../places/index.ts';
import * as repo from './consent.repository.ts';
import { ANY_CARRIER, type ConsentStatus, type DeliveryMode } from './consent.table.ts';

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

function toConsentRequest(r: repo.ConsentRequestRow, now: number): ConsentRequest {
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

// ── used by other modules (parcel deposit) ──────────────────────────────────

/** The recipient's delivery mode for one carrier (carrier row, else default, else 'ask_first'), and their alias. */
export async function deliveryPreference(
  db: Executor,
  q: { recipientPhoneHash: string; carrierId: string },
): Promise<RecipientPreference> {
  const user = await findUserByPhoneHash(db, q.recipientPhoneHash);
  if (!user || user.status !== 'active')
    return { mode: 'unknown', userId: null, alias: null, forThisCarrier: false };
  const rows = await repo.preferencesFor(db, user.id, q.carrierId);
  const own = rows.find((r) => r.carrier_id === q.carrierId);
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

// ── the resident's side ─────────────────────────────────────────────────────

/** My preferences as the app shows them. */
export interface PreferencesView {
  defaultMode: DeliveryMode;
  perCarrier: { carrierId: string; carrierName: string; mode: DeliveryMode }[];
  updatedAt: string | null;
}

/** The community of the caller's home (from a resident grant), or null for an account without one. */
export function homeCommunity(grants: readonly Grant[]): string | null {
  // A resident of homes in two communities gets one alias; pick deterministically.
  return (
    grants
      .filter((g) => g.role === 'resident' && g.communityId)
      .map((g) => g.communityId!)
      .sort()[0] ?? null
  );
}

function presentPreferences(rows: repo.PreferenceRow[], carriers: CarrierRow[]): PreferencesView {
  const names = new Map(carriers.map((c) => [c.id, c.name]));
  const perCarrier = rows
    .filter((r) => r.carrier_id !== ANY_CARRIER)
    .map((r) => ({
      carrierId: r.carrier_id,
      carrierName: names.get(r.carrier_id) ?? '',
      mode: r.mode,
    }))
    .sort((a, b) => a.carrierName.localeCompare(b.carrierName, 'zh-CN'));
  const updatedAt =
    rows
      .map((r) => r.updated_at)
      .sort()
      .at(-1) ?? null;
  return {
    defaultMode: rows.find((r) => r.carrier_id === ANY_CARRIER)?.mode ?? 'ask_first',
    perCarrier,
    updatedAt,
  };
}

/** My delivery preferences; with nothing saved the default reads 'ask_first'. */
export async function getPreferences(deps: AppDeps, userId: string): Promise<PreferencesView> {
  return presentPreferences(await repo.preferencesOf(deps.db, userId), await listCarriers(deps.db));
}

/** Replace my preference set: a default plus at most one exception per (existing) carrier. */
export async function savePreferences(
  deps: AppDeps,
  userId: string,
  grants: readonly Grant[],
  input: { defaultMode: DeliveryMode; perCarrier?: { carrierId: string; mode: DeliveryMode }[] },
): Promise<PreferencesView> {
  const per = input.perCarrier ?? [];
  const twice = per.find((p, i) => per.findIndex((q) => q.carrierId === p.carrierId) !== i);
  if (twice)
    throw new AppError(
      'validation_failed',
      `Carrier ${twice.carrierId} is listed twice; give one mode per carrier.`,
    );
  return deps.db.transaction().execute(async (trx) => {
    const carriers = await listCarriers(trx);
    const unknown = per.find((p) => !carriers.some((c) => c.id === p.carrierId));
    if (unknown) throw notFound(`The carrier ${unknown.carrierId}`);
    const base = {
      community_id: homeCommunity(grants),
      user_id: userId,
      updated_at: iso(deps.clock.now()),
    };
    const rows: repo.PreferenceRow[] = [
      { carrier_id: ANY_CARRIER, mode: input.defaultMode },
      ...per.map((p) => ({ carrier_id: p.carrierId, mode: p.mode })),
    ].map((r) => ({
      ...base,
      ...r,
      id: newId(deps.clock, deps.random),
    }));
    await repo.replacePreferences(trx, userId, rows);
    return presentPreferences(rows, carriers);
  });
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
  // One conditional update decides it, so two answers racing cannot both win.
  const decided = await repo.decideConsentRequest(deps.db, {
    id: requestId,
    recipientUserId: userId,
    status: accept ? 'accepted' : 'declined',
    at: iso(now),
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

// ── address alias ───────────────────────────────────────────────────────────

const FLAT_NUMBER = [
  /\d{3,}/, // 1502
  /\d+\s*[-–—－~_/]\s*\d+/, // 15-02, 3-2-1502
  /[室房户]/,
  /\d+\s*(?:层|楼层|f\b)/i, // 15层, 15F
  /\d+\s*楼\s*\d+/, // 15楼2号 (a building is 栋/幢/号楼)
  /\d+\s*号(?!\s*[楼栋幢院门柜])/, // 2号 as a door (3号楼, 2号柜 are fine)
  /[一二三四五六七八九十百零两]+\s*(?:层|楼(?!栋))/, // 十五层, 十五楼
  /\b(?:room|rm|flat|apt|apartment|floor)\b/i,
];
const ALIAS_HAS_FLAT =
  '别名不能包含门牌号（如 1502、3-2-1502、室、房、户或楼层），请写小区、楼栋、单元和柜子，例如“清淳家园 3栋2单元 蚁巢柜”。An alias must not contain a flat number (e.g. 1502, 3-2-1502, 室/房/户 or a floor): name the compound, building, unit and locker instead.';

/** Normalise an alias (full-width digits become ASCII, spaces collapse) or throw a 400 when it is the wrong length or names a flat. */
export function checkAlias(input: string): string {
  const text = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if ([...text].length < 2 || [...text].length > 60)
    throw new AppError('validation_failed', '别名需 2–60 个字。An alias is 2–60 characters long.');
  if (FLAT_NUMBER.some((p) => p.test(text)))
    throw new AppError('validation_failed', ALIAS_HAS_FLAT);
  return text;
}

/** My alias, or nulls. */
export interface AliasView {
  text: string | null;
  updatedAt: string | null;
}

/** My address alias (nulls when none is set). */
export async function getAlias(deps: AppDeps, userId: string): Promise<AliasView> {
  const a = await repo.findAlias(deps.db, userId);
  return { text: a?.text ?? null, updatedAt: a?.updated_at ?? null };
}

/** Set my address alias; it belongs to my home's community. */
export async function setAlias(
  deps: AppDeps,
  userId: string,
  grants: readonly Grant[],
  input: string,
): Promise<AliasView> {
  const text = checkAlias(input);
  const communityId = homeCommunity(grants);
  if (!communityId)
    throw new AppError(
      'forbidden',
      'An address alias belongs to a home: you need a resident role on a unit.',
    );
  const row = {
    user_id: userId,
    community_id: communityId,
    text,
    updated_at: iso(deps.clock.now()),
  };
  await repo.upsertAlias(deps.db, row);
  return { text: row.text, updatedAt: row.updated_at };
}

/** Remove my address alias (nothing happens when none is set). */
export async function removeAlias(deps: AppDeps, userId: string): Promise<void> {
  await repo.deleteAlias(deps.db, userId);
}

// ── the courier's side ──────────────────────────────────────────────────────

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
