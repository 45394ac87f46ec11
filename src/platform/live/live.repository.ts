/**
 * The live poller's only SQL: what changed since a cursor, as ids and types (never
 * personal data). Each query reads a small look-back window, so the caller dedups by key.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/** A parcel event, with who may hear of it. */
export interface ParcelChange {
  id: string;
  parcelId: string;
  type: string;
  at: string;
  communityId: string;
  recipientUserId: string | null;
  depositorId: string;
}

/** An alert that opened, repeated, or changed status. */
export interface AlertChange {
  id: string;
  lockerId: string;
  communityId: string;
  kind: string;
  status: string;
  occurrences: number;
  /** The latest of its timestamps: the change's time. */
  at: string;
}

/** A compartment whose door, use or UV state changed. */
export interface CompartmentChange {
  id: string;
  lockerId: string;
  communityId: string;
  number: number;
  at: string;
}

/** The newest value of a timestamp column ('' when the table is empty). */
async function newest(db: Executor, table: keyof DB, column: string): Promise<string> {
  const row = await sql<{
    m: string | null;
  }>`select max(${sql.ref(column)}) as m from ${sql.table(table)}`
    .execute(db)
    .then((r) => r.rows[0]);
  return String(row?.m ?? '');
}

/** The latest of several marks (ISO strings sort as time). */
const latest = (marks: string[]) => marks.sort().at(-1)!;

/** The latest timestamp already stored, so a fresh poller starts at "now" in the database's own clock. */
export async function latestMarks(db: Executor): Promise<{
  parcels: string;
  alerts: string;
  compartments: string;
  consent: string;
  needs: string;
  notices: string;
}> {
  const [parcels, alerts, compartments, asked, decided, needs, notices, activities] =
    await Promise.all([
      newest(db, 'parcel_events', 'at'),
      newest(db, 'locker_alerts', 'last_seen_at'),
      newest(db, 'compartments', 'updated_at'),
      newest(db, 'consent_requests', 'created_at'),
      newest(db, 'consent_requests', 'decided_at'),
      newest(db, 'need_events', 'at'),
      newest(db, 'notices', 'updated_at'),
      newest(db, 'activities', 'updated_at'),
    ]);
  return {
    parcels,
    alerts,
    compartments,
    consent: latest([asked, decided]),
    needs,
    notices: latest([notices, activities]),
  };
}

/** Parcel events at or after `since` (ISO), oldest first. */
export async function parcelChangesSince(
  db: Executor,
  since: string,
  limit: number,
): Promise<ParcelChange[]> {
  const rows = await db
    .selectFrom('parcel_events as e')
    .innerJoin('parcels as p', 'p.id', 'e.parcel_id')
    .select([
      'e.id',
      'e.parcel_id',
      'e.type',
      'e.at',
      'p.community_id',
      'p.recipient_user_id',
      'p.depositor_id',
    ])
    .where('e.at', '>=', since)
    .orderBy('e.at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parcelId: r.parcel_id,
    type: r.type,
    at: r.at,
    communityId: r.community_id,
    recipientUserId: r.recipient_user_id,
    depositorId: r.depositor_id,
  }));
}

/** Active family shares of these parcels, by the family member's phone hash. */
export async function activeShares(
  db: Executor,
  parcelIds: readonly string[],
): Promise<{ parcelId: string; phoneHash: string }[]> {
  if (parcelIds.length === 0) return [];
  const rows = await db
    .selectFrom('parcel_shares')
    .select(['parcel_id', 'phone_hash'])
    .where('parcel_id', 'in', [...parcelIds])
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => ({ parcelId: r.parcel_id, phoneHash: r.phone_hash }));
}

/** A user's phone hash (family shares find them by it); null without a phone. */
export async function phoneHashOf(db: Executor, userId: string): Promise<string | null> {
  return (
    (await db.selectFrom('users').select('phone_hash').where('id', '=', userId).executeTakeFirst())
      ?.phone_hash ?? null
  );
}

/** Alerts opened, repeated, acknowledged or resolved at or after `since`. */
export async function alertChangesSince(
  db: Executor,
  since: string,
  limit: number,
): Promise<AlertChange[]> {
  const rows = await db
    .selectFrom('locker_alerts')
    .select([
      'id',
      'locker_id',
      'community_id',
      'kind',
      'status',
      'occurrences',
      'last_seen_at',
      'acknowledged_at',
      'resolved_at',
    ])
    .where((eb) =>
      eb.or([
        eb('last_seen_at', '>=', since),
        eb('acknowledged_at', '>=', since),
        eb('resolved_at', '>=', since),
      ]),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    lockerId: r.locker_id,
    communityId: r.community_id,
    kind: r.kind,
    status: r.status,
    occurrences: r.occurrences,
    at: [r.last_seen_at, r.acknowledged_at ?? '', r.resolved_at ?? ''].sort().at(-1)!,
  }));
}

/** Compartments updated at or after `since`. */
export async function compartmentChangesSince(
  db: Executor,
  since: string,
  limit: number,
): Promise<CompartmentChange[]> {
  const rows = await db
    .selectFrom('compartments')
    .select(['id', 'locker_id', 'community_id', 'number', 'updated_at'])
    .where('updated_at', '>=', since)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    lockerId: r.locker_id,
    communityId: r.community_id,
    number: r.number,
    at: r.updated_at,
  }));
}

/** A consent request that was made or answered (ADR 0009): the recipient hears of the first, the courier of the second. */
export interface ConsentChange {
  id: string;
  courierId: string;
  recipientUserId: string;
  status: string;
  at: string;
}

/** Consent requests created or decided at or after `since`. */
export async function consentChangesSince(
  db: Executor,
  since: string,
  limit: number,
): Promise<ConsentChange[]> {
  const rows = await db
    .selectFrom('consent_requests')
    .select(['id', 'courier_id', 'recipient_user_id', 'status', 'created_at', 'decided_at'])
    .where((eb) => eb.or([eb('created_at', '>=', since), eb('decided_at', '>=', since)]))
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    courierId: r.courier_id,
    recipientUserId: r.recipient_user_id,
    status: r.status,
    at: r.decided_at ?? r.created_at,
  }));
}

/** Communities of a subdistrict (a subdistrict officer's reach). */
export async function communitiesOfSubdistrict(
  db: Executor,
  subdistrictId: string,
): Promise<string[]> {
  return (
    await db
      .selectFrom('communities')
      .select('id')
      .where('subdistrict_id', '=', subdistrictId)
      .execute()
  ).map((r) => r.id);
}

/** Which of these sessions are not revoked (a stream opened with a revoked session is closed). */
export async function unrevokedSessions(
  db: Executor,
  ids: readonly string[],
): Promise<Set<string>> {
  const live = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where('revoked_at', 'is', null)
      .execute();
    for (const r of rows) live.add(r.id);
  }
  return live;
}

/** A step in a resident's request (issue 16): only the resident who filed it hears of it. */
export interface NeedChange {
  id: string;
  needId: string;
  action: string;
  status: string;
  at: string;
  requesterId: string | null;
}

/** Need history events at or after `since` (ISO), oldest first. */
export async function needChangesSince(
  db: Executor,
  since: string,
  limit: number,
): Promise<NeedChange[]> {
  const rows = await db
    .selectFrom('need_events as e')
    .innerJoin('needs as n', 'n.id', 'e.need_id')
    .select(['e.id', 'e.need_id', 'e.action', 'e.to_status', 'e.at', 'n.requester_id'])
    .where('e.at', '>=', since)
    .orderBy('e.at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    needId: r.need_id,
    action: r.action,
    status: r.to_status,
    at: r.at,
    requesterId: r.requester_id,
  }));
}
