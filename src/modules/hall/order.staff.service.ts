/** The hall's side of orders: today's list, pack, hand over, cancel, refund. */
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { iso } from '../../platform/clock.ts';
import type { OrderStatus } from './hall.table.ts';
import { presentOrders } from './order.presenter.ts';
import * as repo from './order.repository.ts';
import { cancelOrder, hallOrder, refundOrder } from './order.service.ts';
import { payOutRefunds } from './payment.service.ts';
import { notifyResident } from '../identity/index.ts';
import { miniprogramPage } from '../../kernel/miniprogram-pages.ts';

async function view(deps: AppDeps, orderId: string) {
  return (await presentOrders(deps.db, [(await repo.findOrder(deps.db, orderId))!]))[0]!;
}

/** A hall's orders: open ones by default (to pick, pack and deliver), or those in the given states since an instant. */
export async function hallOrders(
  deps: AppDeps,
  hallId: string,
  f: { statuses?: OrderStatus[]; since?: string; limit: number },
) {
  const orders = await presentOrders(
    deps.db,
    await repo.ordersOfHall(deps.db, hallId, {
      statuses: f.statuses ?? ['paid', 'ready', 'in_locker'],
      ...(f.since ? { since: f.since } : {}),
      limit: f.limit,
    }),
  );
  // The open list drops locker orders the resident already took out (the parcel says so).
  return f.statuses
    ? orders
    : orders.filter((o) => !(o.status === 'in_locker' && o.parcel?.status === 'picked_up'));
}

/** Packed: a pickup order waits at the counter (the resident sees 待取). */
export async function markReady(deps: AppDeps, hallId: string, orderId: string) {
  const order = await hallOrder(deps.db, hallId, orderId);
  if (order.fulfilment !== 'pickup')
    throw conflict('投柜订单请直接“投柜”。A locker order is delivered, not left at the counter.');
  if (
    !(await repo.transition(deps.db, order.id, ['paid'], {
      status: 'ready',
      updated_at: iso(deps.clock.now()),
    }))
  )
    throw conflict('只有已付款的订单可以备货。Only a paid order can be packed.');
  // The resident hears it is ready (WeChat while they have a grant, else SMS); packing stands either way.
  await notifyResident(deps, order.user_id, {
    topic: 'order_ready',
    sms: '【蚁巢】您在社区服务馆的订单已备好，请到服务馆柜台取货。',
    wechat: {
      page: miniprogramPage('hall', order.id),
      data: { thing1: { value: '订单已备好' }, thing2: { value: '请到服务馆柜台取货' } },
    },
  }).catch(() => 'none');
  return view(deps, order.id);
}

/** Handed over at the counter, or the booked service done. */
export async function markCompleted(deps: AppDeps, hallId: string, orderId: string) {
  const order = await hallOrder(deps.db, hallId, orderId);
  if (order.fulfilment === 'locker')
    throw conflict(
      '投柜订单由居民在柜上取件后自动完成。A locker order completes when the resident picks it up.',
    );
  if (
    !(await repo.transition(deps.db, order.id, ['paid', 'ready'], {
      status: 'completed',
      updated_at: iso(deps.clock.now()),
    }))
  )
    throw conflict('订单未付款或已完成。This order is not paid, or already done.');
  return view(deps, order.id);
}

/** Staff cancel an order (out of stock, cannot serve): stock back, full refund. */
export async function cancelByHall(deps: AppDeps, hallId: string, orderId: string, reason: string) {
  const refundId = await deps.db
    .transaction()
    .execute(async (trx) =>
      cancelOrder(trx, deps, await hallOrder(trx, hallId, orderId), 'staff', reason),
    );
  if (refundId) await payOutRefunds(deps, [refundId]);
  return view(deps, orderId);
}

/** A partial (or whole) refund to the original payment, e.g. one bad item. */
export async function refundPart(
  deps: AppDeps,
  hallId: string,
  orderId: string,
  amountFen: number,
  reason: string,
) {
  const refundId = await deps.db.transaction().execute(async (trx) => {
    const order = await hallOrder(trx, hallId, orderId);
    if (order.status === 'awaiting_payment' || order.status === 'cancelled')
      throw conflict(
        '订单未付款或已取消（取消时已全额退款）。This order is unpaid or cancelled (cancelling refunded it in full).',
      );
    if (amountFen > order.total_fen - order.refunded_fen)
      throw new AppError(
        'validation_failed',
        `最多可退 ¥${((order.total_fen - order.refunded_fen) / 100).toFixed(2)}。At most ${order.total_fen - order.refunded_fen} fen is left to refund.`,
      );
    return refundOrder(trx, deps, order, amountFen, reason);
  });
  await payOutRefunds(deps, [refundId]);
  return view(deps, orderId);
}
