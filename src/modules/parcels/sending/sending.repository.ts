/** The only SQL of tariffs, quotes, sending orders and their payment events. */
import type { Executor } from '../../../db/database.ts';
import type {
  SendingOrderStatus,
  SendingOrderTable,
  SendingPaymentEventTable,
  SendingQuoteTable,
  SendingTariffTable,
} from './sending.table.ts';

export type TariffRow = SendingTariffTable;
export type QuoteRow = SendingQuoteTable;
export type OrderRow = SendingOrderTable;

/** Every tariff row, by carrier, band and size. */
export async function listTariffs(db: Executor): Promise<TariffRow[]> {
  return db
    .selectFrom('sending_tariffs')
    .selectAll()
    .orderBy('carrier_id')
    .orderBy('weight_band')
    .orderBy('size')
    .execute();
}

export async function findTariff(
  db: Executor,
  carrierId: string,
  weightBand: string,
  size: string,
): Promise<TariffRow | undefined> {
  return db
    .selectFrom('sending_tariffs')
    .selectAll()
    .where('carrier_id', '=', carrierId)
    .where('weight_band', '=', weightBand as TariffRow['weight_band'])
    .where('size', '=', size as TariffRow['size'])
    .executeTakeFirst();
}

/** Set one price (insert or update). */
export async function upsertTariff(db: Executor, row: TariffRow): Promise<void> {
  await db
    .insertInto('sending_tariffs')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['carrier_id', 'weight_band', 'size']).doUpdateSet({
        price_fen: row.price_fen,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

/** Remove one price; false when there was none. */
export async function deleteTariff(
  db: Executor,
  carrierId: string,
  weightBand: string,
  size: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('sending_tariffs')
    .where('carrier_id', '=', carrierId)
    .where('weight_band', '=', weightBand as TariffRow['weight_band'])
    .where('size', '=', size as TariffRow['size'])
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertQuote(db: Executor, row: QuoteRow): Promise<void> {
  await db.insertInto('sending_quotes').values(row).execute();
}

/** Use a live quote of this user once; the row when this call used it. */
export async function useQuote(
  db: Executor,
  id: string,
  userId: string,
  nowIso: string,
): Promise<QuoteRow | undefined> {
  const q = await db
    .selectFrom('sending_quotes')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!q || q.used_at !== null || q.expires_at <= nowIso) return undefined;
  const u = await db
    .updateTable('sending_quotes')
    .set({ used_at: nowIso })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1 ? q : undefined;
}

export async function insertOrder(db: Executor, row: OrderRow): Promise<void> {
  await db.insertInto('sending_orders').values(row).execute();
}

export async function findOrder(db: Executor, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('sending_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The sending order of an outgoing parcel, if it came from one. */
export async function orderOfParcel(db: Executor, parcelId: string): Promise<OrderRow | undefined> {
  return db
    .selectFrom('sending_orders')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .executeTakeFirst();
}

/** A user's orders, newest first. */
export async function ordersOfUser(
  db: Executor,
  userId: string,
  limit: number,
): Promise<OrderRow[]> {
  return db
    .selectFrom('sending_orders')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Paid orders of a carrier that have a parcel, oldest first (the courier's collection list). */
export async function paidOrdersOfCarrier(
  db: Executor,
  carrierId: string,
  limit: number,
): Promise<OrderRow[]> {
  return db
    .selectFrom('sending_orders')
    .selectAll()
    .where('carrier_id', '=', carrierId)
    .where('status', '=', 'paid')
    .where('parcel_id', 'is not', null)
    .orderBy('paid_at')
    .limit(limit)
    .execute();
}

/** Move an order from one status to another, once; false when it was no longer in `from`. */
export async function moveOrder(
  db: Executor,
  id: string,
  from: SendingOrderStatus,
  set: Partial<Omit<OrderRow, 'id'>> & { status: SendingOrderStatus; updated_at: string },
): Promise<boolean> {
  const u = await db
    .updateTable('sending_orders')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1;
}

export async function setOrderFields(
  db: Executor,
  id: string,
  set: Partial<Pick<OrderRow, 'provider_ref' | 'parcel_id' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('sending_orders').set(set).where('id', '=', id).execute();
}

/** Record a payment callback once; false for a replay. */
export async function claimPaymentEvent(
  db: Executor,
  row: SendingPaymentEventTable,
): Promise<boolean> {
  const r = await db
    .insertInto('sending_payment_events')
    .values(row)
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Paid orders never dropped, as of `cutoffIso`: their parcel's reservation was cancelled at
 * or before it, or they never got a parcel (the compartment's open and its refund both
 * failed) and were paid at or before it.
 */
export async function undroppedPaidOrders(
  db: Executor,
  cutoffIso: string,
  limit: number,
): Promise<OrderRow[]> {
  return db
    .selectFrom('sending_orders as o')
    .leftJoin('parcels as p', 'p.id', 'o.parcel_id')
    .selectAll('o')
    .where('o.status', '=', 'paid')
    .where((eb) =>
      eb.or([
        eb.and([eb('p.status', '=', 'cancelled'), eb('p.updated_at', '<=', cutoffIso)]),
        eb.and([eb('o.parcel_id', 'is', null), eb('o.paid_at', '<=', cutoffIso)]),
      ]),
    )
    .orderBy('o.paid_at')
    .limit(limit)
    .execute();
}

/** Still never dropped inside the refund's transaction: the parcel still cancelled since before `cutoffIso`, or still none. */
export async function stillUndropped(
  db: Executor,
  orderId: string,
  cutoffIso: string,
): Promise<boolean> {
  const o = await findOrder(db, orderId);
  if (!o) return false;
  if (o.parcel_id === null) return true;
  const p = await db
    .selectFrom('parcels')
    .select(['status', 'updated_at'])
    .where('id', '=', o.parcel_id)
    .executeTakeFirst();
  return p?.status === 'cancelled' && p.updated_at <= cutoffIso;
}

/** Refunded orders the provider has not paid back yet (all, or the given ones), oldest first. */
export async function refundsOwed(
  db: Executor,
  limit: number,
  ids?: readonly string[],
): Promise<OrderRow[]> {
  let q = db
    .selectFrom('sending_orders')
    .selectAll()
    .where('status', '=', 'refunded')
    .where('refund_paid_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  return q.orderBy('refunded_at').limit(limit).execute();
}

/** The provider paid the refund back: once (false when another node marked it first). */
export async function markRefundPaid(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('sending_orders')
    .set({ refund_paid_at: at })
    .where('id', '=', id)
    .where('status', '=', 'refunded')
    .where('refund_paid_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
