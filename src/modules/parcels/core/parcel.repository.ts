/** The only SQL on parcels, their events and the notification outbox. */
import type { Executor } from '../../../db/database.ts';
import type {
  NotificationTable,
  ParcelEventTable,
  ParcelStatus,
  ParcelTable,
} from './parcel.table.ts';

export type ParcelRow = ParcelTable;
export type ParcelEventRow = ParcelEventTable;
export type NotificationRow = NotificationTable;

const LIVE: ParcelStatus[] = ['reserved', 'stored'];

export async function insertParcel(db: Executor, row: ParcelRow): Promise<void> {
  await db.insertInto('parcels').values(row).execute();
}

export async function findParcel(db: Executor, id: string): Promise<ParcelRow | undefined> {
  return db.selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The reserved or stored parcels in a compartment (more than one only when they travel together), oldest first. */
export async function liveParcelsAt(
  db: Executor,
  lockerId: string,
  compartment: number,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('compartment', '=', compartment)
    .where('status', 'in', LIVE)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The latest parcel of a compartment whose reservation was cancelled since an instant
 * (lapsed, closed on a stale "empty" reading, or the open's outcome was lost): the
 * candidate when the sensor later finds something inside.
 */
export async function lapsedReservationAt(
  db: Executor,
  lockerId: string,
  compartment: number,
  sinceIso: string,
): Promise<ParcelRow | undefined> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('compartment', '=', compartment)
    .where('status', '=', 'cancelled')
    .where('updated_at', '>=', sinceIso)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Stored parcels in the same compartment opened by the same code (a group for one recipient), besides this one. */
export async function groupMates(
  db: Executor,
  p: Pick<ParcelRow, 'id' | 'locker_id' | 'compartment' | 'code_hash'>,
): Promise<ParcelRow[]> {
  if (!p.code_hash) return [];
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', p.locker_id)
    .where('compartment', '=', p.compartment)
    .where('code_hash', '=', p.code_hash)
    .where('status', '=', 'stored')
    .where('id', '!=', p.id)
    .execute();
}

/** A depositor's live parcel at a locker for this recipient phone, to put another one in beside it. */
export async function liveForRecipientBy(
  db: Executor,
  lockerId: string,
  depositorId: string,
  phoneHash: string,
): Promise<ParcelRow | undefined> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('depositor_id', '=', depositorId)
    .where('recipient_phone_hash', '=', phoneHash)
    .where('kind', '=', 'delivery')
    .where('status', 'in', LIVE)
    .orderBy('created_at')
    .executeTakeFirst();
}

/** How many compartments at a locker a resident holds (reserved or filled) with parcels they left there themselves. */
export async function liveResidentDepositsAt(
  db: Executor,
  lockerId: string,
  depositorId: string,
): Promise<number> {
  const r = await db
    .selectFrom('parcels')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('locker_id', '=', lockerId)
    .where('depositor_id', '=', depositorId)
    .where('kind', 'in', ['neighbour', 'outgoing'])
    .where('status', 'in', LIVE)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The stored parcel at a locker whose code has this hash. */
export async function storedByCode(
  db: Executor,
  lockerId: string,
  hash: string,
): Promise<ParcelRow | undefined> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('code_hash', '=', hash)
    .where('status', '=', 'stored')
    .executeTakeFirst();
}

/** Whether a live parcel at the locker already uses this code hash. */
export async function codeInUse(db: Executor, lockerId: string, hash: string): Promise<boolean> {
  const r = await db
    .selectFrom('parcels')
    .select('id')
    .where('locker_id', '=', lockerId)
    .where('code_hash', '=', hash)
    .where('status', 'in', LIVE)
    .executeTakeFirst();
  return r !== undefined;
}

/** Update a parcel only if it is still in the expected status; false when another change won. */
export async function transition(
  db: Executor,
  id: string,
  from: ParcelStatus,
  patch: Partial<ParcelRow>,
): Promise<boolean> {
  const r = await db
    .updateTable('parcels')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateParcel(
  db: Executor,
  id: string,
  patch: Partial<ParcelRow>,
): Promise<void> {
  await db.updateTable('parcels').set(patch).where('id', '=', id).execute();
}

/** Stored parcels of a locker with their offline verifiers, for a `sync`. */
export async function storedAtLocker(db: Executor, lockerId: string): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('status', '=', 'stored')
    .orderBy('compartment')
    .execute();
}

/** Reservations whose time ran out. */
export async function expiredReservations(
  db: Executor,
  nowIso: string,
  limit = 200,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('status', '=', 'reserved')
    .where('reserved_until', '<=', nowIso)
    .limit(limit)
    .execute();
}

/** A recipient's parcels (by account or by phone), newest first. */
export async function parcelsOfRecipient(
  db: Executor,
  userId: string,
  phoneHash: string | null,
  opts: { live: boolean; limit: number },
): Promise<ParcelRow[]> {
  let q = db
    .selectFrom('parcels')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('recipient_user_id', '=', userId),
        ...(phoneHash ? [eb('recipient_phone_hash', '=', phoneHash)] : []),
      ]),
    );
  q = opts.live
    ? q.where('status', 'in', ['stored', 'at_hall'])
    : q.where('status', 'in', ['stored', 'at_hall', 'picked_up']);
  return q.orderBy('created_at', 'desc').limit(opts.limit).execute();
}

/** These parcels, when in one of the statuses. */
export async function parcelsByIds(
  db: Executor,
  ids: string[],
  statuses: ParcelStatus[],
): Promise<ParcelRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('id', 'in', ids)
    .where('status', 'in', statuses)
    .execute();
}

/** What a resident deposited for a neighbour or sent since an instant, newest first. */
export async function sentBy(
  db: Executor,
  userId: string,
  sinceIso: string,
  limit: number,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('depositor_id', '=', userId)
    .where('kind', 'in', ['neighbour', 'outgoing'])
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Parcels a depositor made since an instant, newest first. */
export async function parcelsOfDepositor(
  db: Executor,
  userId: string,
  sinceIso: string,
  limit: number,
): Promise<ParcelRow[]> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('depositor_id', '=', userId)
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Give parcels addressed to a phone to the account that now owns it. */
export async function linkParcelsToUser(
  db: Executor,
  phoneHash: string,
  userId: string,
): Promise<void> {
  await db
    .updateTable('parcels')
    .set({ recipient_user_id: userId })
    .where('recipient_phone_hash', '=', phoneHash)
    .where('recipient_user_id', 'is', null)
    .execute();
}

export async function insertParcelEvent(db: Executor, row: ParcelEventRow): Promise<void> {
  await db.insertInto('parcel_events').values(row).execute();
}

export async function parcelEvents(db: Executor, parcelId: string): Promise<ParcelEventRow[]> {
  return db
    .selectFrom('parcel_events')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function insertNotification(db: Executor, row: NotificationRow): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/** Claim due notifications and lease them until the retry time (same scheme as the command outbox). */
export async function claimDueNotifications(
  db: Executor,
  nowIso: string,
  retryIso: string,
  limit: number,
): Promise<NotificationRow[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('status', '=', 'pending')
    .where('channel', '=', 'sms')
    .where('next_attempt_at', '<=', nowIso)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  const claimed: NotificationRow[] = [];
  for (const r of rows) {
    // Optimistic lease: only the node whose update still sees the attempt count it read gets the row.
    const u = await db
      .updateTable('notifications')
      .set({ attempts: r.attempts + 1, next_attempt_at: retryIso })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', r.attempts)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) === 1) claimed.push(r);
  }
  return claimed;
}

/** Mark an SMS sent and blank its body (it carried a pickup code). */
export async function markNotificationSent(
  db: Executor,
  id: string,
  nowIso: string,
  redacted: string,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'sent', sent_at: nowIso, body: redacted, phone_cipher: null })
    .where('id', '=', id)
    .execute();
}

/** In-app notifications of a user, newest first. */
export async function appNotifications(
  db: Executor,
  userId: string,
  limit: number,
): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('channel', '=', 'app')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

// ── retention (issue 4, item 9) ─────────────────────────────────────────────

const FINISHED: ParcelStatus[] = ['picked_up', 'cancelled', 'returned'];

/** Communities that still hold personal data of finished parcels. */
export async function communitiesWithFinishedPersonalData(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('parcels')
    .select('community_id')
    .distinct()
    .where('status', 'in', FINISHED)
    .where('deidentified_at', 'is', null)
    .execute();
  return rows.map((r) => r.community_id);
}

/** Ids of a community's parcels that finished (last changed) before the cutoff and still hold personal data. */
export async function finishedBefore(
  db: Executor,
  communityId: string,
  cutoffIso: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('parcels')
    .select('id')
    .where('community_id', '=', communityId)
    .where('status', 'in', FINISHED)
    .where('deidentified_at', 'is', null)
    .where('updated_at', '<=', cutoffIso)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Blank the personal data of these parcels and the phone on their SMS rows. */
export async function deidentifyParcels(
  db: Executor,
  ids: string[],
  nowIso: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('parcels')
    .set({
      recipient_phone_hash: null,
      recipient_phone_cipher: null,
      recipient_phone_tail: null,
      code_hash: null,
      code_cipher: null,
      code_verifier: null,
      waybill: null,
      note: null,
      deidentified_at: nowIso,
    })
    .where('id', 'in', ids)
    .execute();
  await db
    .updateTable('notifications')
    .set({ phone_cipher: null })
    .where('parcel_id', 'in', ids)
    .where('channel', '=', 'sms')
    .execute();
}

/** Where a locker stands, in words for residents: names of the locker, its site, compound and community. */
export async function lockerPlace(
  db: Executor,
  lockerId: string,
): Promise<{ locker: string; site: string; compound: string; community: string }> {
  return db
    .selectFrom('lockers as l')
    .innerJoin('locker_sites as s', 's.id', 'l.site_id')
    .innerJoin('compounds as c', 'c.id', 's.compound_id')
    .innerJoin('communities as m', 'm.id', 'l.community_id')
    .select(['l.name as locker', 's.name as site', 'c.name as compound', 'm.name as community'])
    .where('l.id', '=', lockerId)
    .executeTakeFirstOrThrow();
}

/** Whether a parcel event with this id exists (sweeps use fixed ids as once-only markers). */
export async function parcelEventExists(db: Executor, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('parcel_events').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

/** The parcel last picked up from a compartment at or after an instant (parcels_pickup_compartment_idx). */
export async function lastPickedUpFrom(
  db: Executor,
  lockerId: string,
  compartment: number,
  sinceIso: string,
): Promise<ParcelRow | undefined> {
  return db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .where('compartment', '=', compartment)
    .where('picked_up_at', '>=', sinceIso)
    .where('status', '=', 'picked_up')
    .orderBy('picked_up_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
