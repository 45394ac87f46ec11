/**
 * A payment callback, from the provider over HTTP or handed back by the local provider:
 * verified, recorded once, and settled on its subject in the same transaction.
 */
import type { AppDeps } from '../../platform/deps.ts';
import { markJoinPaid, markJoinPaymentFailed } from './groupbuy-settle.service.ts';
import { markOrderPaid, markOrderPaymentFailed } from './order.service.ts';
import type { SignedCallback } from '../../platform/payment/payment.port.ts';
import { acceptCallback, payOutRefunds } from './payment.service.ts';

/** Handle one signed callback; 'replay' when it (or the payment's outcome) was already recorded. */
export async function deliverCallback(
  deps: AppDeps,
  cb: SignedCallback,
): Promise<'settled' | 'replay'> {
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const handled = await acceptCallback(trx, deps, cb);
    if (!handled) return 'replay' as const;
    const { payment, status } = handled;
    if (payment.subject_kind === 'order') {
      if (status === 'paid') await markOrderPaid(trx, deps, payment.subject_id, payment);
      else await markOrderPaymentFailed(trx, deps, payment.subject_id);
    } else if (status === 'paid') await markJoinPaid(trx, deps, payment.subject_id, payment);
    else await markJoinPaymentFailed(trx, deps, payment.subject_id);
    return 'settled' as const;
  });
  // A payment that arrived too late was refunded in that transaction: pay it out now.
  if (outcome === 'settled') await payOutRefunds(deps);
  return outcome;
}
