/**
 * The closed loop with the lockers: hall staff deposit a paid order into a compartment of
 * the locker at the resident's unit door through the parcels' own deposit use case. The
 * parcel (a delivery of the 社区服务馆 carrier, waybill HALL-<code>) gets the usual code and
 * notice; the order points at it. The deposit's Idempotency-Key is derived from the order,
 * so a second click, or a retry after a crash between the deposit and the order's update,
 * answers with the same parcel instead of filling a second compartment.
 */
import type { Executor } from '../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { findUserById } from '../identity/index.ts';
import { activeCabinetsAt } from '../lockers/index.ts';
import { deposit, parcelStatuses } from '../parcels/index.ts';
import { findUnit, lockerSitesNear } from '../places/index.ts';
import { hallCarrierId } from './hall-carrier.service.ts';
import { presentOrders } from './order.presenter.ts';
import * as repo from './order.repository.ts';
import { hallOrder } from './order.service.ts';

/** Active lockers at a unit's door (or its building's shared site), in installation order. */
export async function unitLockers(db: Executor, unitId: string): Promise<string[]> {
  const unit = await findUnit(db, unitId);
  if (!unit) return [];
  const sites = await lockerSitesNear(db, [unit.id], [unit.building_id]);
  return (
    await activeCabinetsAt(
      db,
      sites.map((s) => s.id),
    )
  ).map((c) => c.id);
}

/** Refuse locker delivery to a unit with no working locker at its door (an order or a group-buy join). */
export async function requireUnitLocker(db: Executor, unitId: string): Promise<void> {
  if ((await unitLockers(db, unitId)).length === 0)
    throw conflict(
      '您家单元门口还没有智能柜，请选择到馆自取。There is no locker at your unit door yet: choose pickup at the hall.',
    );
}

/** Deposit a paid locker order into its unit's locker; the first cabinet with room takes it. */
export async function deliverToLocker(
  deps: AppDeps,
  staffId: string,
  hallId: string,
  orderId: string,
  size: 'S' | 'M' | 'L' | 'XL',
) {
  const order = await hallOrder(deps.db, hallId, orderId);
  if (order.fulfilment !== 'locker')
    throw conflict(
      '这是到馆自取的订单，请在柜台交付。This order is collected at the hall, not delivered to a locker.',
    );
  // A deposit that did not end stored (the door jammed or shut empty) is tried again.
  const failed = order.status === 'in_locker' && (await depositFailed(deps, order.parcel_id));
  if ((order.status === 'in_locker' && !failed) || order.status === 'completed')
    return (await presentOrders(deps.db, [order]))[0]!;
  if (order.status !== 'paid' && order.status !== 'ready' && !failed)
    throw conflict(
      order.status === 'awaiting_payment'
        ? '订单尚未付款，不能投柜。This order is not paid yet; do not deliver it.'
        : '订单已取消，不能投柜。This order was cancelled; do not deliver it.',
    );
  const parcel = await depositAtUnit(deps, staffId, {
    userId: order.user_id,
    unitId: order.unit_id,
    waybill: `HALL-${order.code}`,
    idempotencyKey: retryKey(`hall-order-${order.id}`, order.parcel_id),
    size,
  });
  await repo.transition(deps.db, order.id, ['paid', 'ready', 'in_locker'], {
    status: 'in_locker',
    parcel_id: parcel.id,
    updated_at: iso(deps.clock.now()),
  });
  const after = (await repo.findOrder(deps.db, order.id))!;
  return (await presentOrders(deps.db, [after]))[0]!;
}

/** Whether the parcel of an earlier deposit was given up (door jammed, shut empty, no answer): it may be deposited again. */
export async function depositFailed(
  deps: Pick<AppDeps, 'db'>,
  parcelId: string | null,
): Promise<boolean> {
  if (!parcelId) return false;
  return (await parcelStatuses(deps.db, [parcelId])).get(parcelId) === 'cancelled';
}

/** The deposit's Idempotency-Key: the first try's, or one per given-up parcel (a retry after it is a new deposit). */
export function retryKey(base: string, failedParcelId: string | null): string {
  return failedParcelId ? `${base}-after-${failedParcelId}` : base;
}

/**
 * Deposit something the hall sold into the locker at a resident's unit door, through the
 * parcels' own deposit (code, notice, verifier, overdue policy); the first cabinet at the door
 * with room takes it. The key makes a second call answer with the same parcel.
 */
export async function depositAtUnit(
  deps: AppDeps,
  staffId: string,
  input: {
    userId: string;
    unitId: string;
    waybill: string;
    idempotencyKey: string;
    size: 'S' | 'M' | 'L' | 'XL';
  },
): Promise<{ id: string }> {
  const user = await findUserById(deps.db, input.userId);
  if (!user?.phone_cipher)
    throw conflict(
      '下单居民的账号没有手机号，无法发送取件码；请电话联系后到馆交付。The resident has no phone on their account for the code: hand it over at the hall.',
    );
  const lockers = await unitLockers(deps.db, input.unitId);
  if (lockers.length === 0)
    throw conflict(
      '该单元门口没有可用的智能柜，请改为到馆交付。No working locker at this unit door: hand it over at the hall.',
    );
  const carrierId = await hallCarrierId(deps.db, deps);
  let lastRefusal: AppError | undefined;
  for (const lockerId of lockers) {
    try {
      const { parcel } = await deposit(
        deps,
        { userId: staffId, carrierId },
        {
          lockerId,
          waybill: input.waybill,
          recipientPhone: deps.vault.decrypt(user.phone_cipher),
          size: input.size,
          kind: 'delivery',
          idempotencyKey: input.idempotencyKey,
        },
      );
      return parcel;
    } catch (e) {
      // No room or offline here: try the next cabinet at the door; anything else is the answer.
      if (e instanceof AppError && e.status === 409 && lockers.length > 1) {
        lastRefusal = e;
        continue;
      }
      throw e;
    }
  }
  throw lastRefusal!;
}

/**
 * Locker orders the resident took out become completed (the hall sweep runs it; the parcel
 * flow stays unaware of orders). Conditional on `in_locker`, so it is safe on several nodes.
 */
export async function completeCollectedOrders(deps: AppDeps, pageSize = 500): Promise<number> {
  let completed = 0;
  // Every order in a locker, a page at a time: one that stays in (its parcel not collected
  // yet, or given up) never hides a later one that was collected.
  let after: { updatedAt: string; id: string } | undefined;
  for (;;) {
    const page = await repo.ordersInLocker(deps.db, pageSize, after);
    if (page.length === 0) return completed;
    const statuses = await parcelStatuses(
      deps.db,
      page.flatMap((o) => (o.parcel_id ? [o.parcel_id] : [])),
    );
    for (const o of page) {
      if (!o.parcel_id || statuses.get(o.parcel_id) !== 'picked_up') continue;
      if (
        await repo.transition(deps.db, o.id, ['in_locker'], {
          status: 'completed',
          updated_at: iso(deps.clock.now()),
        })
      )
        completed++;
    }
    const last = page.at(-1)!;
    after = { updatedAt: last.updated_at, id: last.id };
  }
}
