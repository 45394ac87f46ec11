/**
 * The only SQL of the idempotency plugin. A key is claimed with one insert that the
 * primary key (caller, route, key) lets exactly one of several racing requests win, on
 * SQLite and PostgreSQL alike; the winner later completes or releases its claim.
 */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { type Clock, iso } from '../clock.ts';
import type { IdempotencyKeyTable } from './idempotency.table.ts';

/** A stored key as read back. */
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;

/** Identifies one key: who sent it, to which route, and the key itself. */
export interface KeyRef {
  readonly caller: string;
  readonly route: string;
  readonly key: string;
}

/** How long keys live and how long an in-flight claim is trusted. */
export interface KeyTimes {
  /** Rows older than this are ignored (and swept). */
  readonly ttlMs: number;
  /** An in-flight row older than this belongs to a request that died; it may be claimed again. */
  readonly leaseMs: number;
}

/** Outcome of a claim: ours to run (fenced by claimedAt), or someone's earlier row to answer from. */
export type Claim =
  | { readonly kind: 'claimed'; readonly claimedAt: string }
  | { readonly kind: 'existing'; readonly row: IdempotencyKeyRow };

/** The response to remember for a key. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly contentType: string | null;
  readonly body: string | null;
}

const byRef = (ref: KeyRef) => ({ caller: ref.caller, route: ref.route, key: ref.key });

/**
 * Claim a key for a request with this fingerprint. Returns `claimed` when this request
 * should run the handler, else the live row (completed or still in flight) to answer from.
 * Expired rows and abandoned in-flight rows are taken over with a conditional update, so
 * two racing requests cannot both take them over.
 */
export async function claimKey(
  db: Executor,
  clock: Clock,
  ref: KeyRef,
  fingerprint: string,
  times: KeyTimes,
): Promise<Claim> {
  // A row can vanish between our insert and our read (released after a 5xx, or swept): try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = clock.now();
    const claimedAt = iso(now);
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        ...byRef(ref),
        fingerprint,
        state: 'in_flight',
        status_code: null,
        content_type: null,
        body: null,
        created_at: claimedAt,
        completed_at: null,
      })
      .onConflict((oc) => oc.columns(['caller', 'route', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed', claimedAt };

    const expiredBefore = iso(now - times.ttlMs);
    const abandonedBefore = iso(now - times.leaseMs);
    const retaken = await db
      .updateTable('idempotency_keys')
      .set({
        fingerprint,
        state: 'in_flight',
        status_code: null,
        content_type: null,
        body: null,
        created_at: claimedAt,
        completed_at: null,
      })
      .where('caller', '=', ref.caller)
      .where('route', '=', ref.route)
      .where('key', '=', ref.key)
      .where((eb) =>
        eb.or([
          eb('created_at', '<=', expiredBefore),
          eb.and([eb('state', '=', 'in_flight'), eb('created_at', '<=', abandonedBefore)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(retaken.numUpdatedRows) === 1) return { kind: 'claimed', claimedAt };

    const row = await findKey(db, ref);
    if (row) return { kind: 'existing', row };
  }
  throw new Error(`Idempotency key ${ref.route} ${ref.key} kept disappearing while being claimed`);
}

/** The stored row for a key, or undefined. */
export async function findKey(db: Executor, ref: KeyRef): Promise<IdempotencyKeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('caller', '=', ref.caller)
    .where('route', '=', ref.route)
    .where('key', '=', ref.key)
    .executeTakeFirst();
}

/** Store the final response of a claimed key; false when the claim was lost (taken over after its lease ran out). */
export async function completeKey(
  db: Executor,
  clock: Clock,
  ref: KeyRef,
  claimedAt: string,
  res: StoredResponse,
): Promise<boolean> {
  const r = await db
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      status_code: res.statusCode,
      content_type: res.contentType,
      body: res.body,
      completed_at: iso(clock.now()),
    })
    .where('caller', '=', ref.caller)
    .where('route', '=', ref.route)
    .where('key', '=', ref.key)
    .where('state', '=', 'in_flight')
    .where('created_at', '=', claimedAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Give a claimed key back (the request failed or its response must not be kept), so a retry runs again. */
export async function releaseKey(db: Executor, ref: KeyRef, claimedAt: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('caller', '=', ref.caller)
    .where('route', '=', ref.route)
    .where('key', '=', ref.key)
    .where('state', '=', 'in_flight')
    .where('created_at', '=', claimedAt)
    .execute();
}

/** Delete keys claimed more than olderThanMs ago (they are already ignored); returns how many went. Schedule it. */
export async function sweepIdempotencyKeys(
  db: Executor,
  clock: Clock,
  olderThanMs: number,
): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', iso(clock.now() - olderThanMs))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
