/** Appending to a parcel's history: who did what, when, from which device. */
import type { Executor } from '../../../db/database.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { type IdentityEventMap, onIdentityEvent } from '../../identity/index.ts';
import { type ParcelRow } from './parcel.repository.ts';
import { insertParcelEvent, type ParcelStepFacts } from './parcel-event.repository.ts';
import { linkParcelsToUser } from './recipient.repository.ts';

/**
 * Every step a parcel's history can record, by name (immich's EventMap): the type of a
 * `parcel_events` row. The detail is an open record and must hold no personal data.
 */
export interface ParcelEventMap {
  /** A compartment was held and its door asked to open for the depositor. */
  reserved: ParcelEventDetail;
  /** The device opened the door for the deposit … */
  door_opened_for_deposit: ParcelEventDetail;
  /** … or could not. */
  deposit_open_failed: ParcelEventDetail;
  /** The door closed on it: waiting for the recipient. */
  stored: ParcelEventDetail;
  /** The depositor never closed the door with something inside before the reservation ran out. */
  reservation_cancelled: ParcelEventDetail;
  /** A lapsed reservation's door closed on something after all (late deposit). */
  late_deposit_found: ParcelEventDetail;
  /** The recipient asked for the door (app or screen). */
  pickup_requested: ParcelEventDetail;
  pickup_open_failed: ParcelEventDetail;
  picked_up: ParcelEventDetail;
  /** A courier of its carrier asked for the door to take an outgoing parcel away … */
  collect_requested: ParcelEventDetail;
  /** … or to take an overdue one back. */
  return_requested: ParcelEventDetail;
  returned: ParcelEventDetail;
  /** Overdue: the free time and the grace after it ran out. */
  overdue: ParcelEventDetail;
  /** The hall asked the locker to open for a parcel going to the shelf. */
  retrieve_requested: ParcelEventDetail;
  retrieve_open_failed: ParcelEventDetail;
  taken_out_for_hall: ParcelEventDetail;
  moved_to_hall: ParcelEventDetail;
  /** A new pickup code replaced the old one. */
  code_changed: ParcelEventDetail;
  reminder_queued: ParcelEventDetail;
  share_added: ParcelEventDetail;
  share_revoked: ParcelEventDetail;
  /** Staff checked a compartment shut empty (`parcel_missing` alert) and found the parcel inside after all. */
  missing_found: ParcelEventDetail;
  /** … or did not find it anywhere: recorded lost (status `lost`). A hand-over they made is a `picked_up` from `api`. */
  lost: ParcelEventDetail;
  /** A UV cycle ran in its compartment while it was there. */
  disinfected: ParcelEventDetail;
  /** One-time takeout steps (their row id is `<type>:<parcel id>`, so each happens once). */
  takeout_reminder_queued: ParcelEventDetail;
  takeout_overdue_alerted: ParcelEventDetail;
}

/** A step's detail: plain fields, never a phone, name or flat. */
export type ParcelEventDetail = Record<string, unknown>;

/** The name of a parcel history step. */
export type ParcelEventType = keyof ParcelEventMap;

/**
 * What a step needs of its parcel: the columns the step's subscribers read. All but
 * `stored_at` are fixed at the deposit, and `stored_at` is set once, by the store (which
 * passes the value it wrote): so a row read in the step's transaction is current, and the
 * subscribers need not read the parcel again.
 */
export type ParcelOfStep = Pick<
  ParcelRow,
  'id' | 'community_id' | 'locker_id' | 'carrier_id' | 'kind' | 'stored_at'
>;

/** Record one step of a parcel's life inside the caller's transaction. Detail must hold no personal data. */
export async function recordParcelEvent<K extends ParcelEventType>(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  parcel: ParcelOfStep,
  e: {
    type: K;
    actorId: string | null;
    source: 'api' | 'device' | 'system';
    detail?: ParcelEventMap[K];
  },
): Promise<void> {
  const id = newId(ctx.clock, ctx.random);
  const at = iso(ctx.clock.now());
  await insertParcelEvent(db, {
    id,
    parcel_id: parcel.id,
    community_id: parcel.community_id,
    type: e.type,
    actor_id: e.actorId,
    source: e.source,
    detail: JSON.stringify(e.detail ?? {}),
    at,
  });
  if (!stepHandlers.size) return;
  // The same facts `parcelStepFacts` would read back (the rebuild reads them so): the write knows them.
  const facts: ParcelStepFacts = {
    eventId: id,
    type: e.type,
    at,
    parcelId: parcel.id,
    communityId: parcel.community_id,
    lockerId: parcel.locker_id,
    carrierId: parcel.carrier_id,
    kind: parcel.kind,
    storedAt: parcel.stored_at,
  };
  for (const handler of stepHandlers) await handler(db, facts);
}

/** A subscriber to every recorded parcel step (given the step and its parcel's facts); runs inside the recording transaction. */
export type ParcelStepHandler = (trx: Executor, step: ParcelStepFacts) => Promise<void>;

const stepHandlers = new Set<ParcelStepHandler>();

/**
 * Subscribe to every parcel step (analytics keeps its rollups with it, ADR 0029). The
 * handler runs in the step's transaction: a failing handler rolls the step back.
 * Subscribing the same handler twice is a no-op (buildApp runs once per test app).
 */
export function onParcelStep(handler: ParcelStepHandler): void {
  stepHandlers.add(handler);
}

/** Parcels that arrived for a phone before its account existed become the new account's (in the sign-up transaction). */
async function claimParcelsOfNewUser(
  trx: Executor,
  e: IdentityEventMap['user.registered'],
): Promise<void> {
  await linkParcelsToUser(trx, e.phoneHash, e.userId);
}

/** Subscribe parcels to the identity events it answers; buildApp calls it once per app (repeats are no-ops). */
export function subscribeParcelsToIdentity(): void {
  onIdentityEvent('user.registered', claimParcelsOfNewUser);
}
