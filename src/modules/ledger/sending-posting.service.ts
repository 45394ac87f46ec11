/**
 * Paid sending (寄件, ADR 0033) in the ledger: the freight a resident pays is the
 * carrier's (docs/ledger.md "Sending"), so a settled payment moves it from the payment
 * clearing to the carrier's payable account, and a refund moves it back. Both run inside
 * the sending module's transaction, with the order as reference and a transfer id a retry
 * repeats (`sending-paid:<orderId>`, `sending-refund:<orderId>`).
 */
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { accounts } from './accounts.ts';
import * as repo from './ledger.repository.ts';
import { type Entry, replayOf, requestPrint, transfer } from './transfer.service.ts';

/** A settled sending payment, or its refund. */
export interface SendingInput {
  transferId: string;
  orderId: string;
  communityId: string;
  carrierId: string;
  amountFen: number;
  /** When the payment settled / the refund was made (ISO-8601). */
  at: string;
}

const ORDER = 'sending_order';

const instant = (at: string) => (Number.isNaN(Date.parse(at)) ? at : new Date(at).toISOString());
const request = (i: SendingInput) => [
  i.orderId,
  i.communityId,
  i.carrierId,
  i.amountFen,
  instant(i.at),
];

function positive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new AppError(
      'bad_request',
      '金额须为大于0的整数分。 The amount must be a whole number of fen above zero.',
    );
}

/** What the order's entries moved to the carrier so far: paid in, refunded. */
async function heldFor(trx: Executor, input: SendingInput) {
  const entries = (await repo.entriesFor(trx, ORDER, input.orderId)).filter(
    (e) => e.id !== input.transferId,
  );
  const account = accounts.carrierPayable(input.carrierId).id;
  let paid = 0;
  let refunded = 0;
  for (const l of await repo.postingsOf(
    trx,
    entries.map((e) => e.id),
  )) {
    if (l.account_id !== account) continue;
    if (l.amount > 0) paid += l.amount;
    else refunded -= l.amount;
  }
  return { entries, paid, refunded };
}

/** Post a settled sending payment: payment clearing → the carrier's payable account. */
export async function recordSendingPayment(
  trx: Executor,
  clock: Clock,
  input: SendingInput,
): Promise<Entry> {
  positive(input.amountFen);
  const again = await replayOf(trx, input.transferId, requestPrint('sending', request(input)));
  if (again) return again;
  const { entries } = await heldFor(trx, input);
  const prior = entries.find((e) => e.kind === 'sending');
  if (prior)
    throw new AppError(
      'conflict',
      `寄件订单 ${input.orderId} 已由转账 ${prior.id} 入账。 Sending order ${input.orderId} was already posted by transfer ${prior.id}.`,
    );
  return transfer(trx, clock, {
    transferId: input.transferId,
    kind: 'sending',
    at: input.at,
    memo: '快递寄件运费',
    communityId: input.communityId,
    ref: { kind: ORDER, id: input.orderId },
    request: request(input),
    postings: [
      { account: accounts.paymentClearing(), amount: -input.amountFen },
      { account: accounts.carrierPayable(input.carrierId), amount: input.amountFen },
    ],
  });
}

/** Post a sending refund: the carrier's payable account → payment clearing, never more than was paid in. */
export async function recordSendingRefund(
  trx: Executor,
  clock: Clock,
  input: SendingInput,
): Promise<Entry> {
  positive(input.amountFen);
  const again = await replayOf(
    trx,
    input.transferId,
    requestPrint('sending_refund', request(input)),
  );
  if (again) return again;
  const { paid, refunded } = await heldFor(trx, input);
  if (paid === 0)
    throw notFound(
      `寄件订单 ${input.orderId} 的入账记录 (the posting of sending order ${input.orderId})`,
    );
  if (input.amountFen > paid - refunded)
    throw new AppError(
      'conflict',
      `退款${input.amountFen}分超过该寄件订单可退的${paid - refunded}分。 The refund exceeds the ${paid - refunded} fen left on this sending order.`,
    );
  return transfer(trx, clock, {
    transferId: input.transferId,
    kind: 'sending_refund',
    at: input.at,
    memo: '快递寄件退款',
    communityId: input.communityId,
    ref: { kind: ORDER, id: input.orderId },
    request: request(input),
    postings: [
      { account: accounts.carrierPayable(input.carrierId), amount: -input.amountFen },
      { account: accounts.paymentClearing(), amount: input.amountFen },
    ],
  });
}
