/** The only SQL on overdue policies, reminders and overdue actions (the hall shelf is in hall-shelf.repository.ts). */
import type { Kysely } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';
import type { OverduePolicyTable, OverdueTables, ParcelOverdueTable } from './overdue.table.ts';

export type PolicyRow = OverduePolicyTable;
export type OverdueRow = ParcelOverdueTable;

// Typed view including this module's tables; a no-op once db/schema.ts joins OverdueTables into DB.
const q = (db: Executor) => db as unknown as Kysely<DB & OverdueTables>;

export async function findPolicy(
  db: Executor,
  communityId: string,
): Promise<PolicyRow | undefined> {
  return q(db)
    .selectFrom('overdue_policies')
    .selectAll()
    .where('community_id', '=', communityId)
    .executeTakeFirst();
}

/** Insert or replace a community's policy. */
export async function upsertPolicy(db: Executor, row: PolicyRow): Promise<void> {
  const { community_id: _, ...rest } = row;
  await q(db)
    .insertInto('overdue_policies')
    .values(row)
    .onConflict((oc) => oc.column('community_id').doUpdateSet(rest))
    .execute();
}

/** Policies of several communities at once (the sweeps' batch). */
export async function policiesOf(db: Executor, communityIds: string[]): Promise<PolicyRow[]> {
  if (communityIds.length === 0) return [];
  return q(db)
    .selectFrom('overdue_policies')
    .selectAll()
    .where('community_id', 'in', communityIds)
    .execute();
}

/** Stored parcels whose free storage ends before `untilIso` (but not yet) and that were never reminded. */
export async function unremindedEndingBefore(
  db: Executor,
  nowIso: string,
  untilIso: string,
  limit = 500,
): Promise<ParcelRow[]> {
  return q(db)
    .selectFrom('parcels as p')
    .leftJoin('parcel_reminders as r', 'r.parcel_id', 'p.id')
    .selectAll('p')
    .where('p.status', '=', 'stored')
    .where('p.kind', 'in', ['delivery', 'neighbour'])
    .where('p.free_until', '>', nowIso)
    .where('p.free_until', '<=', untilIso)
    .where('r.parcel_id', 'is', null)
    .orderBy('p.free_until')
    .limit(limit)
    .execute();
}

/** Note a reminder; false when another sweep already did. */
export async function markReminded(
  db: Executor,
  parcelId: string,
  atIso: string,
): Promise<boolean> {
  const r = await q(db)
    .insertInto('parcel_reminders')
    .values({ parcel_id: parcelId, sent_at: atIso })
    .onConflict((oc) => oc.column('parcel_id').doNothing())
    .returning('parcel_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Stored parcels past their free storage with no overdue action taken yet. */
export async function overdueUnhandled(
  db: Executor,
  nowIso: string,
  limit = 500,
): Promise<ParcelRow[]> {
  return q(db)
    .selectFrom('parcels as p')
    .leftJoin('parcel_overdue as o', 'o.parcel_id', 'p.id')
    .selectAll('p')
    .where('p.status', '=', 'stored')
    .where('p.kind', 'in', ['delivery', 'neighbour'])
    .where('p.free_until', '<=', nowIso)
    .where('o.parcel_id', 'is', null)
    .orderBy('p.free_until')
    .limit(limit)
    .execute();
}

/** Record the overdue action for a parcel; false when it was already taken. */
export async function insertOverdue(db: Executor, row: OverdueRow): Promise<boolean> {
  const r = await q(db)
    .insertInto('parcel_overdue')
    .values(row)
    .onConflict((oc) => oc.column('parcel_id').doNothing())
    .returning('parcel_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findOverdue(db: Executor, parcelId: string): Promise<OverdueRow | undefined> {
  return q(db)
    .selectFrom('parcel_overdue')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .executeTakeFirst();
}

/**
 * Overdue deliveries a carrier must take back that still sit in lockers, oldest first (no
 * recipient fields). Where each locker stands is named by lockers (returns.service.ts).
 */
export async function returnsForCarrier(db: Executor, carrierId: string, limit: number) {
  return q(db)
    .selectFrom('parcel_overdue as o')
    .innerJoin('parcels as p', 'p.id', 'o.parcel_id')
    .select([
      'p.id',
      'p.locker_id',
      'p.compartment',
      'p.size',
      'p.stored_at',
      'p.waybill',
      'o.at as overdue_at',
    ])
    .where('o.action', '=', 'return_to_courier')
    .where('o.carrier_id', '=', carrierId)
    .where('p.status', '=', 'stored')
    .orderBy('o.at')
    .limit(limit)
    .execute();
}
