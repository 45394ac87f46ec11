/** The only SQL on parcel events. */
import type { Executor } from '../../../db/database.ts';
import { prepare } from '../../../db/prepared.ts';
import type { ParcelEventTable } from './parcel.table.ts';

export type ParcelEventRow = ParcelEventTable;

// Every parcel step runs it: compiled once (db/prepared.ts).
const insertEvent = prepare<ParcelEventRow, never>((db, p) =>
  db.insertInto('parcel_events').values({
    id: p('id'),
    parcel_id: p('parcel_id'),
    community_id: p('community_id'),
    type: p('type'),
    actor_id: p('actor_id'),
    source: p('source'),
    detail: p('detail'),
    at: p('at'),
  }),
);

/** Record a parcel event. */
export async function insertParcelEvent(db: Executor, row: ParcelEventRow): Promise<void> {
  await insertEvent.run(db, row);
}

/** A parcel's events, oldest first. */
export async function parcelEvents(db: Executor, parcelId: string): Promise<ParcelEventRow[]> {
  return db
    .selectFrom('parcel_events')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Whether a parcel event with this id exists (sweeps use fixed ids as once-only markers). */
export async function parcelEventExists(db: Executor, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('parcel_events').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

/** What a dashboard rollup needs of one parcel step: the step and the parcel's stable facts. */
export interface ParcelStepFacts {
  eventId: string;
  type: string;
  at: string;
  parcelId: string;
  communityId: string;
  lockerId: string;
  carrierId: string | null;
  kind: string;
  storedAt: string | null;
}

const stepColumns = [
  'e.id as eventId',
  'e.type',
  'e.at',
  'p.id as parcelId',
  'p.community_id as communityId',
  'p.locker_id as lockerId',
  'p.carrier_id as carrierId',
  'p.kind',
  'p.stored_at as storedAt',
] as const;

/** Every parcel step after `afterId` in id order, a page at a time (rollup rebuilds). */
export async function parcelStepsPage(
  db: Executor,
  afterId: string,
  limit: number,
): Promise<ParcelStepFacts[]> {
  return db
    .selectFrom('parcel_events as e')
    .innerJoin('parcels as p', 'p.id', 'e.parcel_id')
    .select(stepColumns)
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}
