/**
 * The only SQL on parcels at a locker: their lifecycle, codes and compartments. A person's parcels are
 * in recipient.repository.ts, events in parcel-event.repository.ts, the notification outbox in
 * notification.repository.ts and the retention sweep in retention.repository.ts.
 */
import type { Executor } from '../../../db/database.ts';
import { perValue, prepare, prepareByColumns } from '../../../db/prepared.ts';
import { lockerPlaceCached } from '../../lockers/index.ts';
import type { ParcelStatus, ParcelTable } from './parcel.table.ts';

export type ParcelRow = ParcelTable;

const LIVE: ParcelStatus[] = ['reserved', 'stored'];

export async function insertParcel(db: Executor, row: ParcelRow): Promise<void> {
  await db.insertInto('parcels').values(row).execute();
}

/** Insert a parcel unless a unique index refuses it (a live code or compartment taken); false then, and nothing written. */
export async function insertParcelUnlessTaken(db: Executor, row: ParcelRow): Promise<boolean> {
  return (await parcelInsertUnlessTaken.for(row).changed(db, { ...row })) === 1;
}

// Every deposit runs it: compiled once per set of columns (db/prepared.ts); built per call, its
// thirty-odd columns cost more builder time than the insert itself.
const parcelInsertUnlessTaken = prepareByColumns<Record<string, unknown>, never>((db, _p, values) =>
  db
    .insertInto('parcels')
    .values(values as unknown as ParcelRow)
    .onConflict((oc) => oc.doNothing()),
);

const parcelById = prepare<{ id: string }, ParcelRow>((db, p) =>
  db.selectFrom('parcels').selectAll().where('id', '=', p('id')),
);

export async function findParcel(db: Executor, id: string): Promise<ParcelRow | undefined> {
  return parcelById.first(db, { id });
}

/** Parcels' statuses by id (other modules follow the parcels they hold ids of, a page at a time). */
export async function parcelStatuses(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, ParcelRow['status']>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('parcels')
    .select(['id', 'status'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

/**
 * The reserved or stored parcels in a compartment (more than one only when they travel together), oldest first.
 * A live parcel was never picked up (`picked_up_at` is set only as it leaves `stored`): saying
 * so keeps the search in parcels_pickup_compartment_idx to the compartment's never-picked-up
 * rows, not every parcel it ever held (runs on every door close).
 */
export async function liveParcelsAt(
  db: Executor,
  lockerId: string,
  compartment: number,
): Promise<ParcelRow[]> {
  return liveAt.all(db, { lockerId, compartment });
}

const liveAt = prepare<{ lockerId: string; compartment: number }, ParcelRow>((db, p) =>
  db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', p('lockerId'))
    .where('compartment', '=', p('compartment'))
    .where('picked_up_at', 'is', null)
    .where('status', 'in', LIVE)
    .orderBy('created_at')
    .orderBy('id'),
);

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

/** Stored parcels in the same compartment opened by the same code (a group for one recipient), besides this one (never picked up: see liveParcelsAt). */
export async function groupMates(
  db: Executor,
  p: Pick<ParcelRow, 'id' | 'locker_id' | 'compartment' | 'code_hash'>,
): Promise<ParcelRow[]> {
  if (!p.code_hash) return [];
  return mates.all(db, p as typeof p & { code_hash: string });
}

const mates = prepare<
  { id: string; locker_id: string; compartment: number; code_hash: string },
  ParcelRow
>((db, p) =>
  db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', p('locker_id'))
    .where('compartment', '=', p('compartment'))
    .where('picked_up_at', 'is', null)
    .where('code_hash', '=', p('code_hash'))
    .where('status', '=', 'stored')
    .where('id', '!=', p('id')),
);

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
  return storedWithCode.first(db, { lockerId, hash });
}

/**
 * The same parcel with its group mates (stored parcels in its compartment under the same
 * code, as `groupMates` finds them), from the one search: a code typed at the screen needs both.
 */
export async function storedByCodeWithMates(
  db: Executor,
  lockerId: string,
  hash: string,
): Promise<{ parcel: ParcelRow; mates: ParcelRow[] } | undefined> {
  const rows = await storedWithCode.all(db, { lockerId, hash });
  const parcel = rows[0];
  if (!parcel) return undefined;
  const mates = rows.filter(
    (m) => m.id !== parcel.id && m.compartment === parcel.compartment && m.picked_up_at === null,
  );
  return { parcel, mates };
}

const storedWithCode = prepare<{ lockerId: string; hash: string }, ParcelRow>((db, p) =>
  db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', p('lockerId'))
    .where('code_hash', '=', p('hash'))
    .where('status', '=', 'stored'),
);

/** Whether a live parcel at the locker already uses this code hash. */
export async function codeInUse(db: Executor, lockerId: string, hash: string): Promise<boolean> {
  return (await liveWithCode.first(db, { lockerId, hash })) !== undefined;
}

const liveWithCode = prepare<{ lockerId: string; hash: string }, { id: string }>((db, p) =>
  db
    .selectFrom('parcels')
    .select('id')
    .where('locker_id', '=', p('lockerId'))
    .where('code_hash', '=', p('hash'))
    .where('status', 'in', LIVE),
);

/** Update a parcel only if it is still in the expected status; false when another change won. */
export async function transition(
  db: Executor,
  id: string,
  from: ParcelStatus,
  patch: Partial<ParcelRow>,
): Promise<boolean> {
  return (
    (await statusMove(from)
      .for(patch)
      .changed(db, { ...patch, '@id': id })) === 1
  );
}

// Every step of a parcel's life: compiled once per status it leaves (written into the SQL: with
// it bound, SQLite planned the update again on every run, 106 µs median for the pickup in the
// cycle benchmark's profile; ADR 0040) and set of columns changed.
const statusMove = perValue((from: ParcelStatus) =>
  prepareByColumns<Record<string, unknown>, never>((db, p, values) =>
    db
      .updateTable('parcels')
      .set(values)
      .where('id', '=', p('@id') as string)
      .where('status', '=', from),
  ),
);

/** As `transition`, for a parcel at this locker, returning its row as changed (undefined: it was not `from` there). */
export async function transitionAt(
  db: Executor,
  id: string,
  lockerId: string,
  from: ParcelStatus,
  patch: Partial<ParcelRow>,
): Promise<ParcelRow | undefined> {
  return statusMoveAt(from)
    .for(patch)
    .first(db, { ...patch, '@id': id, '@lockerId': lockerId });
}

const statusMoveAt = perValue((from: ParcelStatus) =>
  prepareByColumns<Record<string, unknown>, ParcelRow>((db, p, values) =>
    db
      .updateTable('parcels')
      .set(values)
      .where('id', '=', p('@id') as string)
      .where('locker_id', '=', p('@lockerId') as string)
      .where('status', '=', from)
      .returningAll(),
  ),
);

export async function updateParcel(
  db: Executor,
  id: string,
  patch: Partial<ParcelRow>,
): Promise<void> {
  await db.updateTable('parcels').set(patch).where('id', '=', id).execute();
}

/**
 * By compartment, sorted here: with `order by compartment` SQLite walks the locker's whole
 * history through parcels_pickup_compartment_idx to skip a sort of a few dozen rows (about
 * 6,700 finished parcels a locker at 10 M; seconds-long p99s in the history benchmark, as every
 * reconnecting locker's full sync did it). Without it the plan seeks (locker_id, status).
 */
const byCompartment = (rows: ParcelRow[]): ParcelRow[] =>
  rows.sort((a, b) => a.compartment - b.compartment);

/** Stored parcels of a locker with their offline verifiers, for a `sync`. */
export async function storedAtLocker(db: Executor, lockerId: string): Promise<ParcelRow[]> {
  return byCompartment(
    await db
      .selectFrom('parcels')
      .selectAll()
      .where('locker_id', '=', lockerId)
      .where('status', '=', 'stored')
      .execute(),
  );
}

/**
 * What a locker's full sync lists: its stored parcels, and its reservations whose code already
 * went to the locker with the deposit's open (contract v2). Leaving those out let a full sync
 * built between the deposit and the store drop (or outrank) the carried code, and a v2 store
 * sends no sync of its own: the code then never reached the locker for offline pickup.
 */
export async function syncSetAtLocker(db: Executor, lockerId: string): Promise<ParcelRow[]> {
  return byCompartment(
    await db
      .selectFrom('parcels')
      .selectAll()
      .where('locker_id', '=', lockerId)
      // The list first, so the plan seeks (locker_id, status) for each status.
      .where('status', 'in', ['stored', 'reserved'])
      .where((eb) => eb.or([eb('status', '=', 'stored'), eb('code_cipher', 'is not', null)]))
      .execute(),
  );
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

/** Where a locker stands, in words for residents: names of the locker, its site, compound and community. */
export async function lockerPlace(
  db: Executor,
  lockerId: string,
): Promise<{ locker: string; site: string; compound: string; community: string }> {
  // The names come from lockers (a module's SQL touches only its own tables), cached there.
  const p = await lockerPlaceCached(db, lockerId);
  if (!p) throw new Error(`no place for locker ${lockerId}`);
  return { locker: p.locker, site: p.site, compound: p.compound, community: p.community };
}

/** The parcel last picked up from a compartment at or after an instant (parcels_pickup_compartment_idx). */
export async function lastPickedUpFrom(
  db: Executor,
  lockerId: string,
  compartment: number,
  sinceIso: string,
): Promise<ParcelRow | undefined> {
  return pickedUpSince.first(db, { lockerId, compartment, sinceIso });
}

// Every completed UV cycle after a pickup runs it: compiled once, `status` written in (with it
// bound, SQLite planned the statement again on every run: 233 µs median in the cycle
// benchmark's profile, ADR 0040).
const pickedUpSince = prepare<
  { lockerId: string; compartment: number; sinceIso: string },
  ParcelRow
>((db, p) =>
  db
    .selectFrom('parcels')
    .selectAll()
    .where('locker_id', '=', p('lockerId'))
    .where('compartment', '=', p('compartment'))
    .where('picked_up_at', '>=', p('sinceIso'))
    .where('status', '=', 'picked_up')
    .orderBy('picked_up_at', 'desc')
    .limit(1),
);

/** The lockers a depositor left parcels at since a time, with the last time at each (the courier's directory order). */
export async function recentDepositLockers(
  db: Executor,
  depositorId: string,
  since: string,
): Promise<{ lockerId: string; lastAt: string }[]> {
  const rows = await db
    .selectFrom('parcels')
    .select(['locker_id', (eb) => eb.fn.max('created_at').as('last_at')])
    .where('depositor_id', '=', depositorId)
    .where('created_at', '>=', since)
    .groupBy('locker_id')
    .execute();
  return rows.map((r) => ({ lockerId: r.locker_id, lastAt: String(r.last_at) }));
}
