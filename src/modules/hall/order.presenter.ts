/** Orders as they leave the server: lines, totals, and the parcel that carries a locker order. */
import type { Static } from 'typebox';
import type { Executor } from '../../db/database.ts';
import { findParcel } from '../parcels/index.ts';
import { appointmentsByLine } from './appointment.service.ts';
import * as repo from './order.repository.ts';
import type { OrderView } from './order.schemas.ts';

/** Orders with their lines and parcel state (no other person's data: the order is its owner's or the hall's). */
export async function presentOrders(
  db: Executor,
  orders: readonly repo.OrderRow[],
): Promise<Static<typeof OrderView>[]> {
  const lines = await repo.linesOf(
    db,
    orders.map((o) => o.id),
  );
  const appointments = await appointmentsByLine(
    db,
    orders.map((o) => o.id),
  );
  const out: Static<typeof OrderView>[] = [];
  for (const o of orders) {
    const parcel = o.parcel_id ? await findParcel(db, o.parcel_id) : undefined;
    out.push({
      id: o.id,
      code: o.code,
      hallId: o.hall_id,
      unitId: o.unit_id,
      status: o.status,
      fulfilment: o.fulfilment,
      totalFen: o.total_fen,
      refundedFen: o.refunded_fen,
      note: o.note,
      createdAt: o.created_at,
      paidAt: o.paid_at,
      lines: lines
        .filter((l) => l.order_id === o.id)
        .map((l) => ({
          itemId: l.item_id,
          name: l.name,
          priceFen: l.price_fen,
          quantity: l.quantity,
          appointment: appointmentOf(appointments.get(`${o.id}:${l.item_id}`)),
        })),
      parcel: parcelRef(parcel),
    });
  }
  return out;
}

/** The parcel that carries a locker order or a group-buy join, as the hall's views show it. */
export function parcelRef(
  parcel: Awaited<ReturnType<typeof findParcel>>,
): { id: string; status: string; lockerId: string; compartment: number } | null {
  return parcel
    ? {
        id: parcel.id,
        status: parcel.status,
        lockerId: parcel.locker_id,
        compartment: parcel.compartment,
      }
    : null;
}

function appointmentOf(
  a:
    | { slot_start: string; slot_end: string; at_home: number; status: 'booked' | 'cancelled' }
    | undefined,
) {
  return a
    ? { start: a.slot_start, end: a.slot_end, atHome: a.at_home === 1, status: a.status }
    : null;
}
