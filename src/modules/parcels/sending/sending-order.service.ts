/**
 * Sending orders (寄件, ADR 0033): an order pays a quote through the payment port
 * (src/platform/payment), and once the provider's verified callback says paid, a compartment
 * at the resident's locker opens for the parcel (an outgoing parcel, the existing flow of
 * ../outgoing). The carrier's courier collects it, or rejects it and the price is refunded;
 * a rejected parcel still in the locker opens again for its sender. The payment and every
 * refund post to the ledger in the transaction that settles them; the provider pays a refund
 * back after that commit (sending-refund.service.ts).
 */
import type { Executor } from '../../../db/database.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import { paymentProvider, type SignedCallback } from '../../../platform/payment/payment.port.ts';
import type { CommandRow } from '../../lockers/index.ts';
import * as parcels from '../core/parcel.repository.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { residentLocker } from '../deposit/neighbour.service.ts';
import { openForCarrier } from '../pickup/collect.service.ts';
import { postSendingPayment, refundOrder } from './sending-refund.service.ts';
import * as repo from './sending.repository.ts';

export interface Resident {
  userId: string;
  communities: readonly string[];
}

/** Order a quote at one of my lockers: the order waits for payment (POST …/pay). */
export async function createOrder(
  deps: AppDeps,
  resident: Resident,
  input: { quoteId: string; lockerId: string },
): Promise<repo.OrderRow> {
  const locker = await residentLocker(deps, resident.communities, input.lockerId);
  const provider = paymentProvider(deps.config);
  return deps.db.transaction().execute(async (trx) => {
    const now = iso(deps.clock.now());
    const q = await repo.useQuote(trx, input.quoteId, resident.userId, now);
    if (!q)
      throw conflict(
        '报价不存在、已使用或已过期，请重新询价。 The quote is unknown, already ordered or expired; ask for a new quote.',
      );
    const row: repo.OrderRow = {
      id: newId(deps.clock, deps.random),
      quote_id: q.id,
      user_id: resident.userId,
      community_id: locker.community_id,
      locker_id: locker.id,
      carrier_id: q.carrier_id,
      weight_band: q.weight_band,
      size: q.size,
      price_fen: q.price_fen,
      addresses_cipher: q.addresses_cipher,
      status: 'awaiting_payment',
      parcel_id: null,
      provider: provider.name,
      provider_ref: null,
      paid_at: null,
      refunded_at: null,
      refund_paid_at: null,
      reject_reason: null,
      created_at: now,
      updated_at: now,
    };
    await repo.insertOrder(trx, row);
    return row;
  });
}

/** My order, or 404 (another resident's order does not exist for me). */
export async function myOrder(deps: AppDeps, userId: string, orderId: string) {
  const o = await repo.findOrder(deps.db, orderId);
  if (!o || o.user_id !== userId) throw notFound('That sending order');
  return o;
}

/**
 * Pay an order: start the payment with the provider; its signed callback (at once from the
 * local provider, later from a real one through the callback route) settles it and opens
 * the compartment.
 */
export async function payOrder(
  deps: AppDeps,
  userId: string,
  orderId: string,
): Promise<repo.OrderRow> {
  const order = await myOrder(deps, userId, orderId);
  if (order.status !== 'awaiting_payment')
    throw conflict(`This order is ${order.status}; only an order awaiting payment can be paid.`);
  const provider = paymentProvider(deps.config);
  const started = await provider.start({
    paymentId: order.id,
    amountFen: order.price_fen,
    description: '快递寄件运费',
  });
  await repo.setOrderFields(deps.db, order.id, {
    provider_ref: started.providerRef,
    updated_at: iso(deps.clock.now()),
  });
  if (started.callback) await deliverSendingCallback(deps, started.callback);
  return (await repo.findOrder(deps.db, order.id))!;
}

/** Handle one signed callback for a sending payment: verify, record once, settle; a paid order then opens its compartment. */
export async function deliverSendingCallback(
  deps: AppDeps,
  cb: SignedCallback,
): Promise<'settled' | 'replay'> {
  const provider = paymentProvider(deps.config);
  const event = provider.verify(cb);
  const paid = await deps.db.transaction().execute(async (trx) => {
    const order = await repo.findOrder(trx, event.paymentId);
    if (!order || order.provider !== provider.name)
      throw notFound('The sending order this callback names');
    if (event.amountFen !== order.price_fen)
      throw new AppError(
        'validation_failed',
        `The callback's amount (${event.amountFen} fen) is not this order's (${order.price_fen} fen); refused.`,
      );
    const at = iso(deps.clock.now());
    const fresh = await repo.claimPaymentEvent(trx, {
      provider: provider.name,
      event_id: event.eventId,
      order_id: order.id,
      kind: event.status,
      amount_fen: event.amountFen,
      at,
    });
    if (!fresh) return null;
    const moved = await repo.moveOrder(trx, order.id, 'awaiting_payment', {
      status: event.status === 'paid' ? 'paid' : 'failed',
      paid_at: event.status === 'paid' ? at : null,
      updated_at: at,
    });
    // Settled and posted together: a failed posting leaves the order awaiting payment.
    if (moved && event.status === 'paid') await postSendingPayment(trx, deps, order, at);
    return moved && event.status === 'paid' ? order : moved ? false : null;
  });
  if (paid === null) return 'replay';
  if (paid) await openForOrder(deps, paid);
  return 'settled';
}

/** Reserve and open a compartment for a paid order; when none can open, refund at once. */
async function openForOrder(deps: AppDeps, order: repo.OrderRow): Promise<void> {
  try {
    const { parcel } = await deposit(
      deps,
      { userId: order.user_id, carrierId: null },
      {
        lockerId: order.locker_id,
        carrierId: order.carrier_id,
        size: order.size,
        kind: 'outgoing',
        idempotencyKey: `sending-order:${order.id}`,
      },
    );
    await repo.setOrderFields(deps.db, order.id, {
      parcel_id: parcel.id,
      updated_at: iso(deps.clock.now()),
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    try {
      await refundOrder(deps, order, `未能打开格口：${err.message}`, null);
    } catch {
      // Recording the refund failed (a provider failure after the commit leaves it owed, not
      // thrown): the order stays paid without a parcel, and the never-dropped sweep
      // (sending-refund.service.ts) refunds it once the late-deposit window has passed.
    }
  }
}

/** A courier of the order's carrier refuses the parcel (what is inside, its packing): the price goes back. */
export async function rejectOrder(
  deps: AppDeps,
  courier: { userId: string; carrierId: string },
  orderId: string,
  reason: string,
): Promise<repo.OrderRow> {
  const order = await repo.findOrder(deps.db, orderId);
  if (!order || order.carrier_id !== courier.carrierId) throw notFound('That sending order');
  const parcel = order.parcel_id ? await parcels.findParcel(deps.db, order.parcel_id) : undefined;
  if (order.status !== 'paid' || !parcel || !['stored', 'picked_up'].includes(parcel.status))
    throw conflict(
      'Only a paid parcel that is in the locker or was collected can be rejected; this one is not.',
    );
  await refundOrder(deps, order, reason, courier.userId);
  return (await repo.findOrder(deps.db, order.id))!;
}

/** The sender takes back a rejected parcel that is still in the locker. */
export async function retrieveRejected(
  deps: AppDeps,
  userId: string,
  orderId: string,
): Promise<CommandRow> {
  const order = await myOrder(deps, userId, orderId);
  if (order.status !== 'refunded' || !order.parcel_id)
    throw conflict('Only a rejected parcel still in the locker can be taken back.');
  return openForCarrier(deps, { userId, carrierId: order.carrier_id }, order.parcel_id, {
    reason: 'retrieve',
    event: 'pickup_requested',
    what: 'That parcel',
    mayTake: async (_db, p) => p.kind === 'outgoing' && p.depositor_id === userId,
  });
}

/** A carrier may collect an outgoing parcel unless its sending order was rejected and refunded. */
export async function mayCollect(db: Executor, parcelId: string): Promise<boolean> {
  const o = await repo.orderOfParcel(db, parcelId);
  return !o || o.status === 'paid';
}
