/**
 * Group-buy settlement. Lock order is always the buy's row first, then its joins, in the
 * payment callback and in the deadline sweep alike, so they serialise on PostgreSQL without
 * deadlocks and every join ends confirmed or refunded exactly once.
 */
import type { Trx } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import * as repo from './groupbuy.repository.ts';
import { emitHallFact } from './hall.events.ts';
import * as payments from './payment.repository.ts';
import { payOutRefunds, recordRefund } from './payment.service.ts';

/** A join is refunded in full (the buy failed, or the payment came after it closed). */
async function refundJoin(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  join: repo.JoinRow,
  reason: string,
) {
  if (!(await repo.setJoinStatus(trx, join.id, 'paid', 'refunded'))) return;
  const payment = await payments.paymentOf(trx, 'group_join', join.id);
  if (payment)
    await recordRefund(trx, deps, payment, payment.amount_fen - payment.refunded_fen, reason);
}

/** A join's payment settled: count it in; reaching the target confirms everyone; too late → refunded. */
export async function markJoinPaid(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  joinId: string,
  _payment: payments.PaymentRow,
): Promise<void> {
  const join = await repo.findJoin(trx, joinId);
  if (!join || join.status !== 'awaiting_payment') return;
  const now = iso(deps.clock.now());
  const counted = await repo.addJoined(trx, join.group_buy_id, join.quantity, now);
  if (!(await repo.setJoinStatus(trx, join.id, 'awaiting_payment', 'paid'))) return;
  if (!counted) {
    await refundJoin(trx, deps, { ...join, status: 'paid' }, '团购已截止或已成团，原路退回');
    return;
  }
  if (await repo.confirmIfReached(trx, join.group_buy_id, now)) {
    await repo.confirmPaidJoins(trx, join.group_buy_id);
    await tellSettled(trx, join.group_buy_id, 'groupbuy_confirmed', now);
  }
}

/** Tell analytics a buy settled (hall.events.ts). */
async function tellSettled(
  trx: Trx,
  id: string,
  kind: 'groupbuy_confirmed' | 'groupbuy_failed',
  at: string,
): Promise<void> {
  const buy = await repo.findGroupBuy(trx, id);
  if (buy)
    await emitHallFact(trx, {
      key: `groupbuy:${id}`,
      kind,
      communityId: buy.community_id,
      hallId: buy.hall_id,
      at,
      amountFen: 0,
    });
}

/** A join's payment failed: the join is dropped. */
export async function markJoinPaymentFailed(
  trx: Trx,
  _deps: unknown,
  joinId: string,
): Promise<void> {
  await repo.setJoinStatus(trx, joinId, 'awaiting_payment', 'cancelled');
}

/** Settle one buy whose deadline passed; null when another node already did. */
export async function settleGroupBuy(
  deps: AppDeps,
  id: string,
): Promise<'confirmed' | 'failed' | null> {
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const at = iso(deps.clock.now());
    const status = await repo.settleAtDeadline(trx, id, at);
    if (status === 'confirmed' || status === 'failed')
      await tellSettled(
        trx,
        id,
        status === 'confirmed' ? 'groupbuy_confirmed' : 'groupbuy_failed',
        at,
      );
    if (status === 'confirmed') await repo.confirmPaidJoins(trx, id);
    if (status === 'failed')
      for (const j of await repo.joinsOf(trx, id, 'paid'))
        await refundJoin(trx, deps, j, '团购未达成团数量，自动原路退款');
    return status === 'confirmed' || status === 'failed' ? status : null;
  });
  if (outcome === 'failed') await payOutRefunds(deps);
  return outcome;
}

/** The deadline sweep: settle every due buy (safe on any number of nodes at once). */
export async function sweepGroupBuys(deps: AppDeps): Promise<number> {
  let n = 0;
  for (const id of await repo.dueGroupBuys(deps.db, iso(deps.clock.now())))
    if (await settleGroupBuy(deps, id)) n++;
  return n;
}
