/**
 * The postings other modules make, each inside their own transaction: a paid hall order
 * (split by the hall's distribution rules), its refunds, and a collected locker fee.
 * Entry points for the hall module; see docs/ledger.md "Calling the ledger".
 */
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { placePath } from '../places/index.ts';
import { type AccountSpec, accounts } from './accounts.ts';
import { type Rule, splitByWeight, splitSale } from './distribution.ts';
import * as repo from './ledger.repository.ts';
import type { Recipient } from './ledger.table.ts';
import { rulesOf } from './rules.repository.ts';
import { type Entry, type Posting, replayOf, requestPrint, transfer } from './transfer.service.ts';

/** A paid hall order. */
export interface SaleInput {
  /** Client transfer id, e.g. `hall-order-paid:<orderId>`; a retry returns the original. */
  transferId: string;
  hallId: string;
  orderId: string;
  amountFen: number;
  kind: 'goods' | 'service';
  /** When the payment was confirmed (ISO-8601). */
  at: string;
}

/** A refund of (part of) a paid hall order. */
export interface RefundInput {
  transferId: string;
  hallId: string;
  orderId: string;
  amountFen: number;
  at: string;
}

/** A locker fee actually collected (e.g. an overdue storage fee paid at pickup). */
export interface LockerFeeInput {
  transferId: string;
  communityId: string;
  parcelId: string;
  amountFen: number;
  at: string;
}

const ORDER = 'hall_order';

const instant = (at: string) => (Number.isNaN(Date.parse(at)) ? at : new Date(at).toISOString());
const saleRequest = (i: SaleInput) => [i.hallId, i.orderId, i.amountFen, i.kind, instant(i.at)];
const refundRequest = (i: RefundInput) => [i.hallId, i.orderId, i.amountFen, instant(i.at)];

async function hallCommunity(db: Executor, hallId: string): Promise<string> {
  const path = await placePath(db, 'hall', hallId);
  if (!path?.community) throw notFound('That service hall');
  return path.community;
}

function positive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new AppError(
      'bad_request',
      '金额须为大于0的整数分。 The amount must be a whole number of fen above zero.',
    );
}

function recipientAccount(r: Recipient, communityId: string): AccountSpec {
  if (r === 'community_fund') return accounts.communityFund(communityId);
  if (r === 'community_venue') return accounts.communityVenue(communityId);
  return accounts.platform();
}

/** The rules of a hall as the splitter takes them. */
export async function hallRules(db: Executor, hallId: string): Promise<Rule[]> {
  return (await rulesOf(db, hallId)).map((r) => ({
    recipient: r.recipient,
    appliesTo: r.applies_to,
    percentBp: r.percent_bp,
    minFen: r.min_fen,
    maxFen: r.max_fen,
  }));
}

/** Post a paid hall order: the payment clearing pays the hall, whose revenue is split by its rules. */
export async function recordSale(trx: Executor, clock: Clock, input: SaleInput): Promise<Entry> {
  positive(input.amountFen);
  const again = await replayOf(trx, input.transferId, requestPrint('sale', saleRequest(input)));
  if (again) return again;
  const communityId = await hallCommunity(trx, input.hallId);
  const prior = (await repo.entriesFor(trx, ORDER, input.orderId)).find(
    (e) => e.kind === 'sale' && e.id !== input.transferId,
  );
  if (prior)
    throw new AppError(
      'conflict',
      `订单 ${input.orderId} 已由转账 ${prior.id} 入账。 Order ${input.orderId} was already posted by transfer ${prior.id}.`,
    );
  const split = splitSale(input.amountFen, input.kind, await hallRules(trx, input.hallId));
  const revenue = accounts.hallRevenue(input.hallId, communityId);
  const postings: Posting[] = [
    { account: accounts.paymentClearing(), amount: -input.amountFen },
    { account: revenue, amount: input.amountFen },
    { account: revenue, amount: -input.amountFen },
    ...split.parts.map((p) => ({
      account: recipientAccount(p.recipient, communityId),
      amount: p.amount,
    })),
    { account: accounts.operator(input.hallId, communityId), amount: split.operator },
  ];
  return transfer(trx, clock, {
    transferId: input.transferId,
    kind: 'sale',
    at: input.at,
    memo: `${input.kind === 'goods' ? '商品' : '服务'}订单收入`,
    communityId,
    hallId: input.hallId,
    ref: { kind: ORDER, id: input.orderId },
    request: saleRequest(input),
    postings: postings.filter((p) => p.amount !== 0 || p.account.id === revenue.id),
  });
}

/**
 * Post a refund: each account that received part of the order gives back in proportion
 * to what it still holds from it (largest remainder), so a full refund returns every fen.
 */
export async function recordRefund(
  trx: Executor,
  clock: Clock,
  input: RefundInput,
): Promise<Entry> {
  positive(input.amountFen);
  const again = await replayOf(trx, input.transferId, requestPrint('refund', refundRequest(input)));
  if (again) return again;
  const communityId = await hallCommunity(trx, input.hallId);
  const entries = (await repo.entriesFor(trx, ORDER, input.orderId)).filter(
    (e) => e.hall_id === input.hallId && e.id !== input.transferId,
  );
  if (!entries.some((e) => e.kind === 'sale'))
    throw notFound(`订单 ${input.orderId} 的入账记录 (the posting of order ${input.orderId})`);
  const held = new Map<string, number>();
  const specs = new Map<string, AccountSpec>();
  for (const l of await repo.postingsOf(
    trx,
    entries.map((e) => e.id),
  )) {
    if (l.account_id.startsWith('payment_clearing') || l.account_id.startsWith('hall_revenue'))
      continue;
    held.set(l.account_id, (held.get(l.account_id) ?? 0) + l.amount);
  }
  for (const a of await repo.accountsById(trx, [...held.keys()]))
    specs.set(a.id, {
      id: a.id,
      kind: a.kind,
      name: a.name,
      communityId: a.community_id,
      hallId: a.hall_id,
      ownerId: a.owner_id,
      noNegative: a.no_negative === 1,
    });
  const holders = [...held.entries()].filter(([, v]) => v > 0);
  const refundable = holders.reduce((a, [, v]) => a + v, 0);
  if (input.amountFen > refundable)
    throw new AppError(
      'conflict',
      `退款${input.amountFen}分超过该订单可退的${refundable}分。 The refund exceeds the ${refundable} fen left on this order.`,
    );
  const back = splitByWeight(
    input.amountFen,
    holders.map(([, v]) => v),
  );
  const revenue = accounts.hallRevenue(input.hallId, communityId);
  return transfer(trx, clock, {
    transferId: input.transferId,
    kind: 'refund',
    at: input.at,
    memo: '订单退款',
    communityId,
    hallId: input.hallId,
    ref: { kind: ORDER, id: input.orderId },
    request: refundRequest(input),
    postings: [
      ...holders
        .map(([id], i) => ({ account: specs.get(id)!, amount: -back[i]! }))
        .filter((p) => p.amount !== 0),
      { account: revenue, amount: input.amountFen },
      { account: revenue, amount: -input.amountFen },
      { account: accounts.paymentClearing(), amount: input.amountFen },
    ],
  });
}

/** Post a collected locker fee to the community's locker-fee account. */
export async function recordLockerFee(
  trx: Executor,
  clock: Clock,
  input: LockerFeeInput,
): Promise<Entry> {
  positive(input.amountFen);
  return transfer(trx, clock, {
    transferId: input.transferId,
    kind: 'locker_fee',
    at: input.at,
    memo: '快递柜超时费',
    communityId: input.communityId,
    ref: { kind: 'parcel', id: input.parcelId },
    postings: [
      { account: accounts.paymentClearing(), amount: -input.amountFen },
      { account: accounts.lockerFees(input.communityId), amount: input.amountFen },
    ],
  });
}
