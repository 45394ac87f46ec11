/** The resident's side of ordering: check out and pay, see their orders, cancel. */
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import type { Principal } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { residentHall } from './hall-context.service.ts';
import { requireUnitLocker } from './order-delivery.service.ts';
import { presentOrders } from './order.presenter.ts';
import * as repo from './order.repository.ts';
import { cancelOrder, createOrder, ownOrder, type OrderInput } from './order.service.ts';
import { deliverCallback } from './payment-callback.service.ts';
import { payOutRefunds, startPayment } from './payment.service.ts';

/** What the resident's cart sends. */
export interface CheckoutInput {
  unitId?: string | undefined;
  fulfilment: OrderInput['fulfilment'];
  note?: string | undefined;
  lines: OrderInput['lines'];
}

/**
 * Order and pay: the order, its held stock and its pending payment are written together;
 * the provider is then asked to pay (the local one settles at once through its signed
 * callback, the same path a real provider's notification takes).
 */
export async function checkout(deps: AppDeps, p: Principal, hallId: string, input: CheckoutInput) {
  await hitLimits(deps.db, deps.clock, [limit('hallOrdersPerResidentHour', p.userId)]);
  const { hall, home } = await residentHall(deps.db, p, hallId, input.unitId);
  if (input.fulfilment === 'locker') await requireUnitLocker(deps.db, home.unitId);
  const { order, payment } = await deps.db.transaction().execute((trx) =>
    createOrder(trx, deps, {
      hallId: hall.id,
      communityId: hall.community_id,
      userId: p.userId,
      unitId: home.unitId,
      fulfilment: input.fulfilment,
      note: input.note ?? null,
      lines: input.lines,
    }),
  );
  const callback = await startPayment(deps, payment, `${hall.name} 订单 ${order.code}`);
  if (callback) await deliverCallback(deps, callback);
  return myOrder(deps, p.userId, order.id);
}

/** One of the resident's orders. */
export async function myOrder(deps: AppDeps, userId: string, orderId: string) {
  const order = await ownOrder(deps.db, userId, orderId);
  return (await presentOrders(deps.db, [order]))[0]!;
}

/** The resident's order history, newest first. */
export async function myOrders(deps: AppDeps, userId: string, limit: number) {
  return presentOrders(deps.db, await repo.ordersOfUser(deps.db, userId, limit));
}

/** The resident cancels their order before the hall packs it; a paid one is refunded in full. */
export async function cancelMine(deps: AppDeps, userId: string, orderId: string) {
  const refundId = await deps.db.transaction().execute(async (trx) => {
    const order = await ownOrder(trx, userId, orderId);
    return cancelOrder(trx, deps, order, 'resident', '居民取消订单');
  });
  if (refundId) await payOutRefunds(deps, [refundId]);
  return myOrder(deps, userId, orderId);
}
