/** The only SQL on lockers (except credential columns: credentials.repository.ts) and compartments. */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { perValue, prepare, prepareByColumns } from '../../db/prepared.ts';
import type { CompartmentTable, LockerTable } from './locker.table.ts';
import {
  cachedLocker,
  keptLocker,
  rememberLocker,
  sightingWritten,
  wroteLocker,
} from './locker-rows.ts';

export type LockerRow = LockerTable;
export type CompartmentRow = CompartmentTable;

export async function insertLocker(db: Executor, row: LockerRow): Promise<void> {
  await db.insertInto('lockers').values(row).execute();
  wroteLocker(db, row.id);
}

export async function insertCompartments(db: Executor, rows: CompartmentRow[]): Promise<void> {
  // SQLite caps bound parameters per statement; 13 columns × 60 rows stays well inside it.
  for (let i = 0; i < rows.length; i += 60)
    await db
      .insertInto('compartments')
      .values(rows.slice(i, i + 60))
      .execute();
}

const lockerById = prepare<{ id: string }, LockerRow>((db, p) =>
  db.selectFrom('lockers').selectAll().where('id', '=', p('id')),
);

export async function findLocker(db: Executor, id: string): Promise<LockerRow | undefined> {
  return lockerById.first(db, { id });
}

/**
 * The locker's row, from memory on SQLite (locker-rows.ts): for ingest's messages that
 * usually change nothing. Not inside a transaction that must lock or re-read the row.
 */
export async function findLockerCached(db: Executor, id: string): Promise<LockerRow | undefined> {
  return cachedLocker(db, id, () => lockerById.first(db, { id }));
}

/** Site id and community of a locker, for scope checks. */
export async function lockerSite(
  db: Executor,
  id: string,
): Promise<{ site_id: string; community_id: string } | undefined> {
  return db
    .selectFrom('lockers')
    .select(['site_id', 'community_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listCompartments(db: Executor, lockerId: string): Promise<CompartmentRow[]> {
  return db
    .selectFrom('compartments')
    .selectAll()
    .where('locker_id', '=', lockerId)
    .orderBy('number')
    .execute();
}

const compartmentByNumber = prepare<{ lockerId: string; number: number }, CompartmentRow>((db, p) =>
  db
    .selectFrom('compartments')
    .selectAll()
    .where('locker_id', '=', p('lockerId'))
    .where('number', '=', p('number')),
);

export async function findCompartment(
  db: Executor,
  lockerId: string,
  number: number,
): Promise<CompartmentRow | undefined> {
  return compartmentByNumber.first(db, { lockerId, number });
}

export interface LockerSummaryRow extends LockerRow {
  compartments: number;
  free: number;
  doors_open: number;
  open_alerts: number;
}

/** Lockers with these ids (for labels); unknown ids are skipped. */
export async function lockersByIds(db: Executor, ids: readonly string[]): Promise<LockerRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('lockers')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/**
 * Lockers of a community with compartment and alert counts, filtered by presence, by the
 * sites the caller may list (null = all) and to those with an open alert.
 */
export async function listLockers(
  db: Executor,
  communityId: string,
  f: {
    presence?: LockerRow['presence'];
    siteIds?: readonly string[] | null;
    openAlerts?: boolean;
    limit: number;
    offset: number;
  },
): Promise<LockerSummaryRow[]> {
  if (f.siteIds && f.siteIds.length === 0) return [];
  let q = db
    .selectFrom('lockers as l')
    .selectAll('l')
    .select((eb) => [
      eb
        .selectFrom('compartments as c')
        .whereRef('c.locker_id', '=', 'l.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('compartments'),
      eb
        .selectFrom('compartments as c')
        .whereRef('c.locker_id', '=', 'l.id')
        .where('c.use', '=', 'free')
        .select(eb.fn.countAll<number>().as('n'))
        .as('free'),
      eb
        .selectFrom('compartments as c')
        .whereRef('c.locker_id', '=', 'l.id')
        .where('c.door', '=', 'open')
        .select(eb.fn.countAll<number>().as('n'))
        .as('doors_open'),
      eb
        .selectFrom('locker_alerts as a')
        .whereRef('a.locker_id', '=', 'l.id')
        .where('a.status', '=', 'open')
        .select(eb.fn.countAll<number>().as('n'))
        .as('open_alerts'),
    ])
    .where('l.community_id', '=', communityId);
  if (f.presence) q = q.where('l.presence', '=', f.presence);
  if (f.siteIds) q = q.where('l.site_id', 'in', f.siteIds);
  if (f.openAlerts)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('locker_alerts as a')
          .select('a.id')
          .whereRef('a.locker_id', '=', 'l.id')
          .where('a.status', '=', 'open'),
      ),
    );
  const rows = await q.orderBy('l.id').limit(f.limit).offset(f.offset).execute();
  return rows.map((r) => ({
    ...r,
    compartments: Number(r.compartments),
    free: Number(r.free),
    doors_open: Number(r.doors_open),
    open_alerts: Number(r.open_alerts),
  })) as LockerSummaryRow[];
}

/** Lockers standing at one site. */
export async function lockersAtSite(db: Executor, siteId: string): Promise<LockerRow[]> {
  return db.selectFrom('lockers').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
}

export async function updateLocker(
  db: Executor,
  id: string,
  patch: Partial<Omit<LockerRow, 'id' | 'community_id' | 'site_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('lockers').set(patch).where('id', '=', id).execute();
  wroteLocker(db, id);
}

/** Apply a reported state only when its revision is newer; false = stale, nothing written. */
export async function advanceReportedRevision(
  db: Executor,
  id: string,
  revision: number,
  patch: Partial<LockerRow>,
): Promise<boolean> {
  const r = await db
    .updateTable('lockers')
    .set({ ...patch, reported_revision: revision })
    .where('id', '=', id)
    .where('reported_revision', '<', revision)
    .executeTakeFirst();
  wroteLocker(db, id);
  return Number(r.numUpdatedRows) === 1;
}

/** Record that the highest seq seen grew (never moves back). */
export async function raiseLastSeq(db: Executor, id: string, seq: number): Promise<void> {
  await db
    .updateTable('lockers')
    .set({ last_seq: seq })
    .where('id', '=', id)
    .where('last_seq', '<', seq)
    .execute();
  wroteLocker(db, id);
}

// Every fact runs it: compiled once (db/prepared.ts).
const lastSeqMove = prepare<{ id: string; from: number; seq: number; seenAtIso: string }, never>(
  (db, p) =>
    db
      .updateTable('lockers')
      .set({ last_seq: p('seq'), last_seen_at: p('seenAtIso') })
      .where('id', '=', p('id'))
      .where('last_seq', '=', p('from')),
);

// A fact in order takes the locker this way: one statement instead of a locking read and an update.
const nextSeqTake = prepare<
  { id: string; from: number; seq: number; seenAtIso: string },
  LockerRow
>((db, p) =>
  db
    .updateTable('lockers')
    .set({ last_seq: p('seq'), last_seen_at: p('seenAtIso') })
    .where('id', '=', p('id'))
    .where('last_seq', '=', p('from'))
    .where('status', '<>', 'retired')
    .returningAll(),
);

/**
 * The usual fact, the locker's next by seq: move `last_seq` to it with the sighting time and
 * return the locker's row as written. The update takes the row's lock until commit (on
 * PostgreSQL another node's update of the same row waits, then re-checks `last_seq`), so it
 * serves as the locking read. Undefined when the fact is not next (a duplicate, a gap, a
 * concurrent writer) or the locker is unknown or retired: the caller takes the long way.
 */
export async function takeNextSeq(
  db: Executor,
  id: string,
  seq: number,
  seenAtIso: string,
): Promise<LockerRow | undefined> {
  const params = { id, from: seq - 1, seq, seenAtIso };
  // A kept row is the database's (locker-rows.ts): the update need not send the row back.
  // RETURNING * cost 62 µs median in the cycle benchmark's profile, about five times a cycle.
  const kept = keptLocker(db, id);
  if (kept) {
    if (kept.status === 'retired' || kept.last_seq !== seq - 1) return undefined;
    if ((await nextSeqMove.changed(db, params)) !== 1) {
      // Not what the kept row said: forget it, and let the caller take the long way.
      wroteLocker(db, id);
      return undefined;
    }
    const row = { ...kept, last_seq: seq, last_seen_at: seenAtIso };
    rememberLocker(db, row);
    return row;
  }
  const row = await nextSeqTake.first(db, params);
  // Written only when it returned the row (the conditions held); kept once the fact commits.
  if (row) rememberLocker(db, row);
  return row;
}

// As nextSeqTake, for a locker whose row is kept: the same conditions, nothing sent back.
const nextSeqMove = prepare<{ id: string; from: number; seq: number; seenAtIso: string }, never>(
  (db, p) =>
    db
      .updateTable('lockers')
      .set({ last_seq: p('seq'), last_seen_at: p('seenAtIso') })
      .where('id', '=', p('id'))
      .where('last_seq', '=', p('from'))
      .where('status', '<>', 'retired'),
);

/**
 * Move `last_seq` from the value the caller read (under the row lock) to `seq`, with the
 * sighting time. Throws when the row no longer holds `from`: another node wrote it without
 * the lock, and the caller's transaction must roll back rather than overwrite it.
 */
export async function advanceLastSeq(
  db: Executor,
  id: string,
  from: number,
  seq: number,
  seenAtIso: string,
): Promise<void> {
  const moved = await lastSeqMove.changed(db, { id, from, seq, seenAtIso });
  wroteLocker(db, id);
  if (moved !== 1)
    throw new Error(`locker ${id}: last_seq moved from ${from} under a concurrent writer`);
}

type CompartmentPatch = Partial<
  Omit<CompartmentRow, 'id' | 'locker_id' | 'number' | 'community_id'>
>;

// Door, occupancy and lamp changes: several per parcel cycle, compiled once per set of columns.
const compartmentUpdate = prepareByColumns<Record<string, unknown>, CompartmentRow>(
  (db, p, values) =>
    db
      .updateTable('compartments')
      .set(values)
      .where('locker_id', '=', p('@lockerId') as string)
      .where('number', '=', p('@number') as number)
      .returningAll(),
);

/** Change a compartment; returns its row as changed (undefined if there is no such compartment). */
export async function updateCompartment(
  db: Executor,
  lockerId: string,
  number: number,
  patch: CompartmentPatch,
): Promise<CompartmentRow | undefined> {
  return compartmentUpdate
    .for(patch)
    .first(db, { ...patch, '@lockerId': lockerId, '@number': number });
}

// The same change when the caller needs nothing back: RETURNING * cost 20–30 µs of the update
// in the cycle benchmark (a UV cycle's start runs it twice a parcel cycle).
const compartmentSet = prepareByColumns<Record<string, unknown>, never>((db, p, values) =>
  db
    .updateTable('compartments')
    .set(values)
    .where('locker_id', '=', p('@lockerId') as string)
    .where('number', '=', p('@number') as number),
);

/** Change a compartment when the caller needs nothing back; whether there was such a compartment. */
export async function setCompartment(
  db: Executor,
  lockerId: string,
  number: number,
  patch: CompartmentPatch,
): Promise<boolean> {
  const changed = await compartmentSet
    .for(patch)
    .changed(db, { ...patch, '@lockerId': lockerId, '@number': number });
  return changed === 1;
}

/** Lockers offline since before `before` that have no unresolved offline alert yet. */
export async function lockersOfflineSince(
  db: Executor,
  before: string,
  limit = 500,
): Promise<LockerRow[]> {
  return db
    .selectFrom('lockers as l')
    .selectAll('l')
    .where('l.presence', '=', 'offline')
    .where('l.presence_changed_at', '<=', before)
    .where('l.status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('locker_alerts as a')
            .select('a.id')
            .whereRef('a.locker_id', '=', 'l.id')
            .where('a.kind', '=', 'offline')
            .where('a.status', '<>', 'resolved'),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

const SIZE_RANK = { S: 1, M: 2, L: 3, XL: 4 } as const;

// Every deposit runs it: compiled once per requested size (its list of sizes that fit), its
// constants written into the SQL (db/prepared.ts). Built per call, the builder alone took about
// 150 µs of the deposit's CPU, the search itself 15–25.
const freeFitting = perValue((size: CompartmentRow['size']) => {
  const sizes = (Object.keys(SIZE_RANK) as CompartmentRow['size'][]).filter(
    (s) => SIZE_RANK[s] >= SIZE_RANK[size],
  );
  return prepare<
    { lockerId: string; kind: CompartmentRow['kind'] },
    Pick<CompartmentRow, 'number' | 'size'>
  >((db, p) =>
    db
      .selectFrom('compartments as c')
      .select(['c.number', 'c.size'])
      .where('c.locker_id', '=', p('lockerId'))
      .where('c.use', '=', 'free')
      .where('c.kind', '=', p('kind'))
      .where('c.size', 'in', sizes)
      .where('c.door', '<>', 'open')
      .where('c.uv', '<>', 'running')
      .where((eb) =>
        eb.or([eb('c.uv_result', 'is', null), eb('c.uv_result', 'not in', ['aborted', 'failed'])]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('locker_alerts as a')
              .select('a.id')
              .whereRef('a.locker_id', '=', 'c.locker_id')
              .whereRef('a.compartment', '=', 'c.number')
              .where('a.status', '<>', 'resolved'),
          ),
        ),
      ),
  );
});

/**
 * Free compartments of a kind that fit a size, smallest first: not open, no UV running,
 * no failed or cut-short UV cycle waiting for a completed one, no unresolved fault on them.
 * Number and size only: a locker has dozens of free compartments, and turning each whole
 * row into an object cost more than the search (≈ 240 of 390 µs on the benchmark's data).
 */
export async function fittingFreeCompartments(
  db: Executor,
  lockerId: string,
  kind: CompartmentRow['kind'],
  size: CompartmentRow['size'],
): Promise<Pick<CompartmentRow, 'number' | 'size'>[]> {
  const rows = await freeFitting(size).all(db, { lockerId, kind });
  return rows.sort((a, b) => SIZE_RANK[a.size] - SIZE_RANK[b.size] || a.number - b.number);
}

/** Move a compartment from one use to another only if it is still in `from`; false when someone else got it. */
export async function switchCompartmentUse(
  db: Executor,
  lockerId: string,
  number: number,
  from: CompartmentRow['use'],
  to: CompartmentRow['use'],
  nowIso: string,
): Promise<boolean> {
  return (await useSwitch.changed(db, { lockerId, number, from, to, nowIso })) === 1;
}

// Reserve, occupy, free: three times a parcel cycle.
const useSwitch = prepare<
  {
    lockerId: string;
    number: number;
    from: CompartmentRow['use'];
    to: CompartmentRow['use'];
    nowIso: string;
  },
  never
>((db, p) =>
  db
    .updateTable('compartments')
    .set({ use: p('to'), updated_at: p('nowIso') })
    .where('locker_id', '=', p('lockerId'))
    .where('number', '=', p('number'))
    .where('use', '=', p('from')),
);

/** Free compartments by kind and size across the lockers of a site (to offer alternatives). */
export async function freeCountsAtSite(
  db: Executor,
  siteId: string,
): Promise<{ locker_id: string; size: string; kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('compartments as c')
    .innerJoin('lockers as l', 'l.id', 'c.locker_id')
    .select(['c.locker_id', 'c.size', 'c.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.site_id', '=', siteId)
    .where('l.status', '=', 'active')
    .where('c.use', '=', 'free')
    .groupBy(['c.locker_id', 'c.size', 'c.kind'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** How many of a locker's compartments hold or await a parcel. */
export async function compartmentsInUse(db: Executor, lockerId: string): Promise<number> {
  const r = await db
    .selectFrom('compartments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('locker_id', '=', lockerId)
    .where('use', 'in', ['reserved', 'occupied'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Sightings written behind (last-seen.service.ts): each locker's `last_seen_at` moved to the
 * given instant, never back, in one statement per 500 lockers.
 */
export async function markSeen(db: Executor, seen: { id: string; at: string }[]): Promise<void> {
  const at = isPostgres(db) ? sql`v.column2::timestamptz` : sql`v.column2`;
  for (let i = 0; i < seen.length; i += 500) {
    const chunk = seen.slice(i, i + 500);
    const rows = sql.join(chunk.map((s) => sql`(${s.id}, ${s.at})`));
    await sql`update lockers set last_seen_at = ${at}
      from (values ${rows}) as v
      where lockers.id = v.column1 and (lockers.last_seen_at is null or lockers.last_seen_at < ${at})`.execute(
      db,
    );
    for (const s of chunk) sightingWritten(db, s.id, s.at);
  }
}
