/** SQL of the service catalogue, its deadline classes and the working-day calendar. */
import type { Executor } from '../../db/database.ts';
import type { NeedCalendarTable, NeedDeadlineClassTable, NeedServiceTable } from './need.table.ts';

export type ServiceRow = NeedServiceTable;
export type DeadlineClassRow = NeedDeadlineClassTable;
export type CalendarRow = NeedCalendarTable;

/** Every service, active or not, in display order. */
export async function listServices(db: Executor, activeOnly: boolean): Promise<ServiceRow[]> {
  let q = db.selectFrom('need_services').selectAll();
  if (activeOnly) q = q.where('active', '=', 1);
  return q.orderBy('sort').orderBy('code').execute();
}

/** One service by code. */
export async function findService(db: Executor, code: string): Promise<ServiceRow | undefined> {
  return db.selectFrom('need_services').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Insert or replace a service definition. */
export async function upsertService(db: Executor, row: ServiceRow): Promise<void> {
  const { code: _code, ...rest } = row;
  await db
    .insertInto('need_services')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet(rest))
    .execute();
}

/** Every deadline class. */
export async function listClasses(db: Executor): Promise<DeadlineClassRow[]> {
  return db.selectFrom('need_deadline_classes').selectAll().orderBy('code').execute();
}

/** One deadline class. */
export async function findClass(db: Executor, code: string): Promise<DeadlineClassRow | undefined> {
  return db
    .selectFrom('need_deadline_classes')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst();
}

/** Change a deadline class's numbers. */
export async function updateClass(
  db: Executor,
  code: string,
  v: Pick<DeadlineClassRow, 'unit' | 'amount' | 'respond_hours' | 'warn_hours'>,
): Promise<void> {
  await db.updateTable('need_deadline_classes').set(v).where('code', '=', code).execute();
}

/** Calendar overrides between two local dates (inclusive). */
export async function calendarBetween(
  db: Executor,
  from: string,
  to: string,
): Promise<CalendarRow[]> {
  return db
    .selectFrom('need_calendar')
    .selectAll()
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();
}

/** Set (or clear, with kind null) one calendar day. */
export async function setCalendarDay(
  db: Executor,
  day: string,
  entry: { kind: 'holiday' | 'workday'; name: string } | null,
): Promise<void> {
  await db.deleteFrom('need_calendar').where('day', '=', day).execute();
  if (entry)
    await db
      .insertInto('need_calendar')
      .values({ day, ...entry })
      .execute();
}
