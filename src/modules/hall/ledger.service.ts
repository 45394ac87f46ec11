/**
 * The hall's money in the ledger (issue 17, docs/ledger.md): a settled payment posts a sale
 * and a refund posts a refund, each inside the transaction that changes the payment, with a
 * transfer id derived from the payment or refund so a replay posts nothing twice. An order
 * of services only is a service sale (the fund's share is taken from service revenue); any
 * product line makes it a goods sale. A group-buy join is a goods sale of its own.
 */
import type { Trx } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { recordRefund as postRefund, recordSale } from '../ledger/index.ts';
import * as catalogue from './catalogue.repository.ts';
import * as groupBuys from './groupbuy.repository.ts';
import * as orders from './order.repository.ts';
import type { PaymentRow } from './payment.repository.ts';

interface Subject {
  hallId: string;
  kind: 'goods' | 'service';
}

/** Which hall a payment's money belongs to, and whether it is goods or services. */
async function subjectOf(trx: Trx, payment: PaymentRow): Promise<Subject | null> {
  if (payment.subject_kind === 'group_join') {
    const join = await groupBuys.findJoin(trx, payment.subject_id);
    const buy = join && (await groupBuys.findGroupBuy(trx, join.group_buy_id));
    return buy ? { hallId: buy.hall_id, kind: 'goods' } : null;
  }
  const order = await orders.findOrder(trx, payment.subject_id);
  if (!order) return null;
  const lines = await orders.linesOf(trx, [order.id]);
  const items = await catalogue.findItems(
    trx,
    lines.map((l) => l.item_id),
  );
  const servicesOnly = items.length > 0 && items.every((i) => i.kind === 'service');
  return { hallId: order.hall_id, kind: servicesOnly ? 'service' : 'goods' };
}

/** Post a settled payment as the hall's sale (same transaction as the payment's change). */
export async function postSale(
  trx: Trx,
  deps: Pick<AppDeps, 'clock'>,
  payment: PaymentRow,
): Promise<void> {
  const subject = await subjectOf(trx, payment);
  if (!subject) return;
  await recordSale(trx, deps.clock, {
    transferId: `hall-payment:${payment.id}`,
    hallId: subject.hallId,
    orderId: payment.subject_id,
    amountFen: payment.amount_fen,
    kind: subject.kind,
    at: payment.paid_at ?? iso(deps.clock.now()),
  });
}

/** Post a refund of a payment whose sale was posted (same transaction as the refund row). */
export async function postRefundOf(
  trx: Trx,
  deps: Pick<AppDeps, 'clock'>,
  payment: PaymentRow,
  refundId: string,
  amountFen: number,
): Promise<void> {
  const subject = await subjectOf(trx, payment);
  if (!subject) return;
  await postRefund(trx, deps.clock, {
    transferId: `hall-refund:${refundId}`,
    hallId: subject.hallId,
    orderId: payment.subject_id,
    amountFen,
    at: iso(deps.clock.now()),
  });
}
