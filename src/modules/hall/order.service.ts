/**
 * A resident's order at the hall: created with its stock held and a pending payment in one
 * transaction; paid (markOrderPaid) or, unpaid for ORDER_PAY_MINUTES, released; cancelled
 * and refunded (refundOrder) in whole or part to the original payment.
 */
import type { Trx } from '../../db/database.ts';
import { iso, newId, type Random } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import {
  type AppointmentAsk,
  freeAppointments,
  holdAppointments,
  saveAppointments,
} from './appointment.service.ts';
import * as catalogue from './catalogue.repository.ts';
import type { Fulfilment } from './hall.table.ts';
import { createPayment, recordRefund } from './payment.service.ts';
import * as payments from './payment.repository.ts';
import * as repo from './order.repository.ts';
import { emitHallFact } from './hall.events.ts';

/** How long stock is held for an order that is not paid. */
export const ORDER_PAY_MINUTES = 15;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** A short order number for the counter: 6 characters without look-alikes (0/O, 1/I). */
export function orderCode(random: Random): string {
  const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 6 }, () => abc[random.int(abc.length)]).join('');
}

export interface OrderInput {
  hallId: string;
  communityId: string;
  userId: string;
  unitId: string;
  fulfilment: Fulfilment;
  note?: string | null;
  /** What the cart showed: the price is checked against today's; a service by appointment names its slot. */
  lines: { itemId: string; quantity: number; priceFen: number; slotStart?: string | undefined }[];
}

/** Create an order: check items and prices, take stock, add a pending payment. All or nothing. */
export async function createOrder(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random' | 'config'>,
  input: OrderInput,
): Promise<{ order: repo.OrderRow; payment: payments.PaymentRow }> {
  const ids = input.lines.map((l) => l.itemId);
  if (new Set(ids).size !== ids.length)
    throw new AppError(
      'validation_failed',
      '同一商品请合并为一行。Each item may appear once in an order: merge the lines.',
    );
  const items = new Map((await catalogue.findItems(trx, ids)).map((i) => [i.id, i]));
  let total = 0;
  const lines: repo.LineRow[] = [];
  const asks: AppointmentAsk[] = [];
  const orderId = newId(deps.clock, deps.random);
  for (const l of input.lines) {
    const item = items.get(l.itemId);
    if (!item || item.hall_id !== input.hallId || item.active !== 1)
      throw new AppError(
        'not_found',
        '购物车里有商品已下架或不存在，请刷新后重新选择。An item in the cart is no longer offered at this hall; refresh the catalogue and choose again.',
      );
    if (item.price_fen !== l.priceFen)
      throw conflict(
        `“${item.name}”价格已变更：现价 ${yuan(item.price_fen)}，购物车中为 ${yuan(l.priceFen)}。请刷新后确认新价格再下单。The price of ${item.name} changed to ${yuan(item.price_fen)} (your cart shows ${yuan(l.priceFen)}); refresh and confirm the new price.`,
      );
    if (item.kind === 'service' && input.fulfilment === 'locker')
      throw new AppError(
        'validation_failed',
        `“${item.name}”是预约服务，无法投柜，请选择到馆。${item.name} is a service: choose the hall, not the locker.`,
      );
    if (item.kind === 'product' && !(await catalogue.takeStock(trx, item.id, l.quantity)))
      throw conflict(
        `“${item.name}”库存不足（仅剩 ${item.stock ?? 0}${item.unit}），请减少数量。Not enough ${item.name} left (${item.stock ?? 0}); order fewer.`,
      );
    asks.push({ item, quantity: l.quantity, slotStart: l.slotStart });
    total += item.price_fen * l.quantity;
    lines.push({
      order_id: orderId,
      item_id: item.id,
      name: item.name,
      price_fen: item.price_fen,
      quantity: l.quantity,
    });
  }
  const at = iso(deps.clock.now());
  const order: repo.OrderRow = {
    id: orderId,
    code: orderCode(deps.random),
    hall_id: input.hallId,
    community_id: input.communityId,
    user_id: input.userId,
    unit_id: input.unitId,
    status: 'awaiting_payment',
    fulfilment: input.fulfilment,
    total_fen: total,
    refunded_fen: 0,
    note: input.note?.trim() || null,
    parcel_id: null,
    created_at: at,
    updated_at: at,
    paid_at: null,
  };
  const appointments = await holdAppointments(trx, deps, order, asks);
  await repo.insertOrder(trx, order, lines);
  await saveAppointments(trx, appointments);
  const payment = await createPayment(trx, deps, {
    subjectKind: 'order',
    subjectId: order.id,
    userId: input.userId,
    communityId: input.communityId,
    amountFen: total,
  });
  return { order, payment };
}

/**
 * THE "order is paid" transition, inside the transaction that settled its payment (the
 * ledger posts the sale here). A payment that arrives after the order was cancelled or
 * expired is refunded in full at once.
 */
export async function markOrderPaid(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  orderId: string,
  payment: payments.PaymentRow,
): Promise<void> {
  const at = iso(deps.clock.now());
  if (
    await repo.transition(trx, orderId, ['awaiting_payment'], {
      status: 'paid',
      paid_at: at,
      updated_at: at,
    })
  ) {
    const paid = await repo.findOrder(trx, orderId);
    if (paid)
      await emitHallFact(trx, {
        key: `order_paid:${paid.id}`,
        kind: 'order_paid',
        communityId: paid.community_id,
        hallId: paid.hall_id,
        at,
        amountFen: Number(paid.total_fen),
      });
    return;
  }
  const order = await repo.findOrder(trx, orderId);
  if (order?.status === 'cancelled')
    await refundOrder(trx, deps, order, payment.amount_fen, '订单已取消后到账，原路退回');
}

/** A payment the provider reports failed: the order is released like an unpaid one. */
export async function markOrderPaymentFailed(
  trx: Trx,
  deps: Pick<AppDeps, 'clock'>,
  orderId: string,
): Promise<void> {
  const order = await repo.findOrder(trx, orderId);
  if (order?.status === 'awaiting_payment') await release(trx, deps, order);
}

/** Cancel an order and give its stock and appointment places back (no money moves here). */
async function release(trx: Trx, deps: Pick<AppDeps, 'clock'>, order: repo.OrderRow) {
  const at = iso(deps.clock.now());
  if (
    !(await repo.transition(trx, order.id, [order.status], { status: 'cancelled', updated_at: at }))
  )
    throw conflict('这个订单刚刚有了变化，请刷新。This order changed meanwhile; reload it.');
  for (const l of await repo.linesOf(trx, [order.id]))
    await catalogue.returnStock(trx, l.item_id, l.quantity);
  await freeAppointments(trx, order.id);
}

/**
 * THE "order is refunded (amount)" transition, inside the transaction that changes the
 * order (the ledger posts the refund here): back to the original payment, never more than
 * was paid. Returns the refund id for payOutRefunds.
 */
export async function refundOrder(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  order: repo.OrderRow,
  amountFen: number,
  reason: string,
): Promise<string> {
  const payment = await payments.paymentOf(trx, 'order', order.id);
  if (!payment || payment.status !== 'paid')
    throw conflict(
      '这个订单还没有付款，无需退款。This order was not paid, so there is nothing to refund.',
    );
  const refundId = await recordRefund(trx, deps, payment, amountFen, reason);
  await repo.addOrderRefund(trx, order.id, amountFen, iso(deps.clock.now()));
  return refundId;
}

/**
 * Cancel an order: its stock goes back and, if paid, the whole amount not yet refunded is
 * refunded. Residents may cancel until the hall packs it; staff until it is handed over.
 */
export async function cancelOrder(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  order: repo.OrderRow,
  by: 'resident' | 'staff',
  reason: string,
): Promise<string | null> {
  const allowed =
    by === 'resident' ? ['awaiting_payment', 'paid'] : ['awaiting_payment', 'paid', 'ready'];
  if (!allowed.includes(order.status))
    throw conflict(
      order.status === 'cancelled'
        ? '订单已取消。This order is already cancelled.'
        : '订单已备货或已送出，无法取消，请联系服务馆办理退款。This order is already packed or delivered: ask the hall for a refund instead.',
    );
  const wasPaid = order.status !== 'awaiting_payment';
  await release(trx, deps, order);
  const left = order.total_fen - order.refunded_fen;
  return wasPaid && left > 0 ? refundOrder(trx, deps, order, left, reason) : null;
}

/** The order of a resident (404 for anyone else's). */
export async function ownOrder(trx: Trx | AppDeps['db'], userId: string, orderId: string) {
  const order = await repo.findOrder(trx, orderId);
  if (!order || order.user_id !== userId) throw notFound('That order');
  return order;
}

/** An order of a hall (404 for another hall's). */
export async function hallOrder(trx: Trx | AppDeps['db'], hallId: string, orderId: string) {
  const order = await repo.findOrder(trx, orderId);
  if (!order || order.hall_id !== hallId) throw notFound('That order');
  return order;
}
