/** SQL for the hall's spaces, their bookings, and the named counters (slot capacity, weekly quota). */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { BookingStatus, HallBookingTable, HallSpaceTable } from './hall.table.ts';

export type SpaceRow = Selectable<HallSpaceTable>;
export type BookingRow = Selectable<HallBookingTable>;

/** Insert spaces. */
export async function insertSpaces(db: Executor, rows: SpaceRow | SpaceRow[]): Promise<void> {
  await db.insertInto('hall_spaces').values(rows).execute();
}

/** A space by id. */
export async function findSpace(db: Executor, id: string): Promise<SpaceRow | undefined> {
  return db.selectFrom('hall_spaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A hall's spaces. */
export async function spacesOf(db: Executor, hallId: string): Promise<SpaceRow[]> {
  return db
    .selectFrom('hall_spaces')
    .selectAll()
    .where('hall_id', '=', hallId)
    .orderBy('name')
    .execute();
}

/** Insert a booking. */
export async function insertBooking(db: Executor, row: BookingRow): Promise<void> {
  await db.insertInto('hall_bookings').values(row).execute();
}

/** A booking by id. */
export async function findBooking(db: Executor, id: string): Promise<BookingRow | undefined> {
  return db.selectFrom('hall_bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A hall's bookings starting in [from, to). */
export async function bookingsOfHall(
  db: Executor,
  hallId: string,
  from: string,
  to: string,
): Promise<BookingRow[]> {
  return db
    .selectFrom('hall_bookings')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('slot_start', '>=', from)
    .where('slot_start', '<', to)
    .orderBy('slot_start')
    .execute();
}

/** A resident's bookings ending after `since`, soonest first. */
export async function bookingsOfUser(
  db: Executor,
  userId: string,
  since: string,
): Promise<BookingRow[]> {
  return db
    .selectFrom('hall_bookings')
    .selectAll()
    .where('user_id', '=', userId)
    .where('slot_end', '>', since)
    .orderBy('slot_start')
    .limit(50)
    .execute();
}

/** Bookings at a hall with this check-in code, waiting to be checked in. */
export async function byCheckinCode(
  db: Executor,
  hallId: string,
  code: string,
): Promise<BookingRow[]> {
  return db
    .selectFrom('hall_bookings')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('checkin_code', '=', code)
    .where('status', '=', 'confirmed')
    .execute();
}

/** Move a booking between states. */
export async function setBookingStatus(
  db: Executor,
  id: string,
  from: readonly BookingStatus[],
  to: BookingStatus,
): Promise<boolean> {
  const r = await db
    .updateTable('hall_bookings')
    .set({ status: to })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Take `by` (default one) from a named counter if that keeps it at or below `max`. The
 * conditional UPDATE holds the row lock, so parallel takers never overshoot on any number of nodes.
 */
export async function takeCounter(
  db: Executor,
  key: string,
  max: number,
  by = 1,
): Promise<boolean> {
  await db
    .insertInto('hall_counters')
    .values({ key, n: 0 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const r = await db
    .updateTable('hall_counters')
    .set((eb) => ({ n: eb('n', '+', by) }))
    .where('key', '=', key)
    .where('n', '<=', max - by)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Give `by` (default one) back to a named counter. */
export async function releaseCounter(db: Executor, key: string, by = 1): Promise<void> {
  await db
    .updateTable('hall_counters')
    .set((eb) => ({ n: eb('n', '-', by) }))
    .where('key', '=', key)
    .where('n', '>=', by)
    .execute();
}

/** Counter values for keys (missing keys are 0). */
export async function counters(
  db: Executor,
  keys: readonly string[],
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('hall_counters')
    .selectAll()
    .where('key', 'in', [...keys])
    .execute();
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}
