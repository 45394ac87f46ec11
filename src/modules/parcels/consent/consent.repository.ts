/** The only SQL on delivery preferences, consent requests and address aliases. */
import type { Executor } from '../../../db/database.ts';
import { lockerPlaces } from '../../lockers/index.ts';
import { carrierNames } from '../../places/index.ts';
import type { ConsentRefusal } from './consent.events.ts';
import {
  ANY_CARRIER,
  type AddressAliasTable,
  type ConsentRequestTable,
  type ConsentStatus,
  type DeliveryPreferenceTable,
} from './consent.table.ts';

export type PreferenceRow = DeliveryPreferenceTable;
export type ConsentRequestRow = ConsentRequestTable;
export type AliasRow = AddressAliasTable;
/** A consent request as its recipient sees it: with the carrier's and the locker's names. */
export type ConsentRequestNamedRow = ConsentRequestRow & {
  carrier_name: string;
  locker_name: string;
};

// ── preferences ─────────────────────────────────────────────────────────────

/** Every preference row of a user (the default and the per-carrier ones). */
export async function preferencesOf(db: Executor, userId: string): Promise<PreferenceRow[]> {
  return db
    .selectFrom('delivery_preferences')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('carrier_id')
    .execute();
}

/** The user's rows that apply to one carrier: its own and the default. */
export async function preferencesFor(
  db: Executor,
  userId: string,
  carrierId: string,
): Promise<PreferenceRow[]> {
  return db
    .selectFrom('delivery_preferences')
    .selectAll()
    .where('user_id', '=', userId)
    .where('carrier_id', 'in', [carrierId, ANY_CARRIER])
    .execute();
}

/** Replace the user's whole preference set. */
export async function replacePreferences(
  db: Executor,
  userId: string,
  rows: PreferenceRow[],
): Promise<void> {
  await db.deleteFrom('delivery_preferences').where('user_id', '=', userId).execute();
  if (rows.length) await db.insertInto('delivery_preferences').values(rows).execute();
}

// ── address aliases ─────────────────────────────────────────────────────────

/** The user's alias, if set. */
export async function findAlias(db: Executor, userId: string): Promise<AliasRow | undefined> {
  return db
    .selectFrom('address_aliases')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Set or replace the user's alias. */
export async function upsertAlias(db: Executor, row: AliasRow): Promise<void> {
  await db
    .insertInto('address_aliases')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        community_id: row.community_id,
        text: row.text,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Remove the user's alias; false when there was none. */
export async function deleteAlias(db: Executor, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('address_aliases').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ── consent requests ────────────────────────────────────────────────────────

/** Insert a new consent request. */
export async function insertConsentRequest(db: Executor, row: ConsentRequestRow): Promise<void> {
  await db.insertInto('consent_requests').values(row).execute();
}

/** One consent request by id. */
export async function findConsentRequest(
  db: Executor,
  id: string,
): Promise<ConsentRequestRow | undefined> {
  return db.selectFrom('consent_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One consent request by id, only if the courier sent it. */
export async function findCourierConsentRequest(
  db: Executor,
  id: string,
  courierId: string,
): Promise<ConsentRequestRow | undefined> {
  return db
    .selectFrom('consent_requests')
    .selectAll()
    .where('id', '=', id)
    .where('courier_id', '=', courierId)
    .executeTakeFirst();
}

/** Who asked whom about which parcel: a courier's requests for one waybill at one locker. */
export type ConsentKey = Pick<
  ConsentRequestRow,
  'recipient_user_id' | 'courier_id' | 'locker_id' | 'waybill_tail'
>;

const forParcel = (db: Executor, r: ConsentKey) =>
  db
    .selectFrom('consent_requests')
    .selectAll()
    .where('recipient_user_id', '=', r.recipient_user_id)
    .where('courier_id', '=', r.courier_id)
    .where('locker_id', '=', r.locker_id)
    .where('waybill_tail', '=', r.waybill_tail);

/** A still-live request from this courier for the same parcel (asking twice must not nag the resident twice). */
export async function findLiveDuplicate(
  db: Executor,
  r: ConsentKey,
  now: string,
): Promise<ConsentRequestRow | undefined> {
  return forParcel(db, r)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** An accepted request from this courier for this parcel, decided after `since`. */
export async function findAccepted(
  db: Executor,
  r: ConsentKey,
  since: string,
): Promise<ConsentRequestRow | undefined> {
  return forParcel(db, r)
    .where('status', '=', 'accepted')
    .where('decided_at', '>', since)
    .executeTakeFirst();
}

// The carrier's and the locker's names come from places and lockers (a module's SQL touches only
// its own tables); a request whose carrier or locker is missing is left out, as the inner
// joins these replace did.
async function named(db: Executor, rows: ConsentRequestRow[]): Promise<ConsentRequestNamedRow[]> {
  const carriers = await carrierNames(
    db,
    rows.map((r) => r.carrier_id),
  );
  const lockers = await lockerPlaces(
    db,
    rows.map((r) => r.locker_id),
  );
  return rows.flatMap((r) => {
    const carrier_name = carriers.get(r.carrier_id);
    const locker_name = lockers.get(r.locker_id)?.locker;
    return carrier_name === undefined || locker_name === undefined
      ? []
      : [{ ...r, carrier_name, locker_name }];
  });
}

/** One request addressed to this recipient, with names; undefined when missing or someone else's. */
export async function findRecipientConsentRequest(
  db: Executor,
  id: string,
  recipientUserId: string,
): Promise<ConsentRequestNamedRow | undefined> {
  const r = await db
    .selectFrom('consent_requests')
    .selectAll()
    .where('id', '=', id)
    .where('recipient_user_id', '=', recipientUserId)
    .executeTakeFirst();
  return r ? (await named(db, [r]))[0] : undefined;
}

/** Requests addressed to a recipient, newest first; a pending one past its expiry counts as expired. */
export async function listRecipientConsentRequests(
  db: Executor,
  recipientUserId: string,
  f: { status?: ConsentStatus; now: string; limit: number },
): Promise<ConsentRequestNamedRow[]> {
  let q = db
    .selectFrom('consent_requests as c')
    .selectAll('c')
    .where('c.recipient_user_id', '=', recipientUserId);
  if (f.status === 'pending')
    q = q.where('c.status', '=', 'pending').where('c.expires_at', '>', f.now);
  else if (f.status === 'expired')
    q = q.where((eb) =>
      eb.or([
        eb('c.status', '=', 'expired'),
        eb.and([eb('c.status', '=', 'pending'), eb('c.expires_at', '<=', f.now)]),
      ]),
    );
  else if (f.status) q = q.where('c.status', '=', f.status);
  return named(
    db,
    await q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit).execute(),
  );
}

/** Record the recipient's answer, only while the request is pending and unexpired; false otherwise. */
export async function decideConsentRequest(
  db: Executor,
  d: { id: string; recipientUserId: string; status: 'accepted' | 'declined'; at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('consent_requests')
    .set({ status: d.status, decided_at: d.at })
    .where('id', '=', d.id)
    .where('recipient_user_id', '=', d.recipientUserId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', d.at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Declined consent requests after `afterId`, in id order (analytics' rebuild). */
export async function declinedConsentsPage(
  db: Executor,
  afterId: string,
  limit: number,
): Promise<ConsentRefusal[]> {
  const rows = await db
    .selectFrom('consent_requests')
    .select(['id', 'community_id', 'locker_id', 'carrier_id', 'decided_at'])
    .where('status', '=', 'declined')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    lockerId: r.locker_id,
    carrierId: r.carrier_id,
    at: r.decided_at!,
  }));
}

/** Mark a pending request that has run out as expired. */
export async function markExpired(db: Executor, id: string, now: string): Promise<void> {
  await db
    .updateTable('consent_requests')
    .set({ status: 'expired' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .execute();
}
