/** Sending orders → what leaves the server: the sender's full view, and the courier's masked one. */
import { maskPhone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { lockerPlaces } from '../../lockers/index.ts';
import { carrierNames } from '../../places/index.ts';
import * as parcels from '../core/parcel.repository.ts';
import type { OrderRow } from './sending.repository.ts';
import { openAddresses } from './tariff.service.ts';

/** The order's step as the resident sees it, from its own status and its parcel's. */
function stepOf(o: OrderRow, parcelStatus: string | undefined) {
  if (o.status === 'awaiting_payment') return 'awaiting_payment' as const;
  if (o.status === 'failed') return 'payment_failed' as const;
  if (o.status === 'refunded') return 'refunded' as const;
  if (parcelStatus === 'stored') return 'in_locker' as const;
  if (parcelStatus === 'picked_up' || parcelStatus === 'returned') return 'collected' as const;
  if (parcelStatus === 'cancelled') return 'cancelled' as const;
  return 'awaiting_drop' as const;
}

async function context(deps: AppDeps, orders: readonly OrderRow[]) {
  const names = await carrierNames(
    deps.db,
    orders.map((o) => o.carrier_id),
  );
  const places = await lockerPlaces(
    deps.db,
    orders.map((o) => o.locker_id),
  );
  const ps = new Map<string, parcels.ParcelRow>();
  for (const o of orders)
    if (o.parcel_id) {
      const p = await parcels.findParcel(deps.db, o.parcel_id);
      if (p) ps.set(p.id, p);
    }
  return { names, places, ps };
}

/** The sender's orders, with their addresses in full. */
export async function presentOrders(deps: AppDeps, orders: readonly OrderRow[]) {
  const { names, places, ps } = await context(deps, orders);
  return orders.map((o) => {
    const p = o.parcel_id ? ps.get(o.parcel_id) : undefined;
    const a = openAddresses(deps, o.addresses_cipher);
    return {
      id: o.id,
      status: stepOf(o, p?.status),
      carrierId: o.carrier_id,
      carrierName: names.get(o.carrier_id) ?? '',
      lockerId: o.locker_id,
      lockerName: places.get(o.locker_id)?.locker ?? '',
      compartment: p ? p.compartment : null,
      weightBand: o.weight_band,
      size: o.size,
      priceFen: o.price_fen,
      sender: a.sender,
      recipient: a.recipient,
      payment: {
        provider: o.provider,
        status:
          o.status === 'awaiting_payment'
            ? ('pending' as const)
            : o.status === 'failed'
              ? ('failed' as const)
              : o.status === 'refunded'
                ? ('refunded' as const)
                : ('paid' as const),
        amountFen: o.price_fen,
        paidAt: o.paid_at,
        refundedAt: o.refunded_at,
      },
      rejectReason: o.reject_reason,
      createdAt: o.created_at,
    };
  });
}

/** One order for its sender. */
export async function presentOrder(deps: AppDeps, o: OrderRow) {
  return (await presentOrders(deps, [o]))[0]!;
}

/** A name for a label: the family name and a mask (张**). */
function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 3))}`;
}

/** What the carrier's couriers see of paid parcels to collect: masked people, the region, no flat. */
export async function presentForCourier(deps: AppDeps, orders: readonly OrderRow[]) {
  const { places, ps } = await context(deps, orders);
  return orders.flatMap((o) => {
    const p = o.parcel_id ? ps.get(o.parcel_id) : undefined;
    const place = places.get(o.locker_id);
    if (!p || !place || p.status !== 'stored') return [];
    const a = openAddresses(deps, o.addresses_cipher);
    return [
      {
        orderId: o.id,
        parcelId: p.id,
        lockerId: o.locker_id,
        lockerName: place.locker,
        address: `${place.compound}${place.site}`,
        compartment: p.compartment,
        size: o.size,
        weightBand: o.weight_band,
        status: stepOf(o, p.status),
        sender: { name: maskName(a.sender.name), phone: maskPhone(a.sender.phone) },
        recipient: {
          name: maskName(a.recipient.name),
          phone: maskPhone(a.recipient.phone),
          region: `${a.recipient.province}${a.recipient.city}${a.recipient.district}`,
        },
      },
    ];
  });
}
