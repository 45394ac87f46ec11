/** SQL for service appointments (the slot counters live in booking.repository's hall_counters). */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { HallAppointmentTable } from './hall.table.ts';

export type AppointmentRow = Selectable<HallAppointmentTable>;

/** Insert appointments. */
export async function insertAppointments(db: Executor, rows: AppointmentRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('hall_appointments').values(rows).execute();
}

/** The appointments of these orders. */
export async function appointmentsOf(
  db: Executor,
  orderIds: readonly string[],
): Promise<AppointmentRow[]> {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('hall_appointments')
    .selectAll()
    .where('order_id', 'in', [...orderIds])
    .execute();
}

/** A hall's booked appointments starting in [from, to), soonest first. */
export async function appointmentsOfHall(
  db: Executor,
  hallId: string,
  from: string,
  to: string,
): Promise<AppointmentRow[]> {
  return db
    .selectFrom('hall_appointments')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('slot_start', '>=', from)
    .where('slot_start', '<', to)
    .where('status', '=', 'booked')
    .orderBy('slot_start')
    .execute();
}

/** Cancel an order's booked appointments; returns those it cancelled (their places go back). */
export async function cancelAppointmentsOf(
  db: Executor,
  orderId: string,
): Promise<AppointmentRow[]> {
  const rows = await db
    .selectFrom('hall_appointments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'booked')
    .execute();
  if (rows.length > 0)
    await db
      .updateTable('hall_appointments')
      .set({ status: 'cancelled' })
      .where('order_id', '=', orderId)
      .where('status', '=', 'booked')
      .execute();
  return rows;
}
