/** Orders as they leave the server: lines, totals, and the parcel that carries a locker order. */
import type { Static } from 'typebox';
import type { Executor } from '../../db/database.ts';
import { findParcel } from '../parcels/index.ts';
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
        })),
      parcel: parcel
        ? {
            id: parcel.id,
            status: parcel.status,
            lockerId: parcel.locker_id,
            compartment: parcel.compartment,
          }
        : null,
    });
  }
  return out;
}
