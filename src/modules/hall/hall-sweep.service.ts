/** The hall's housekeeping job: release unpaid orders, complete collected locker orders, settle due group buys, retry refunds. */
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { sweepGroupBuys } from './groupbuy-settle.service.ts';
import { completeCollectedOrders } from './order-delivery.service.ts';
import { staleUnpaid } from './order.repository.ts';
import { markOrderPaymentFailed, ORDER_PAY_MINUTES } from './order.service.ts';
import { payOutRefunds } from './payment.service.ts';

/** One run of the sweep (safe on several nodes at once: every step is a conditional update). */
export async function sweepHall(deps: AppDeps) {
  const before = iso(deps.clock.now() - ORDER_PAY_MINUTES * 60_000);
  let released = 0;
  for (const o of await staleUnpaid(deps.db, before)) {
    await deps.db
      .transaction()
      .execute((trx) => markOrderPaymentFailed(trx, deps, o.id))
      .catch(() => undefined);
    released++;
  }
  const collected = await completeCollectedOrders(deps);
  const groupBuys = await sweepGroupBuys(deps);
  const refunds = await payOutRefunds(deps);
  return { released, collected, groupBuys, refunds };
}
