/**
 * The demo's service appointments: a few paid orders for services by appointment (a home
 * cleaning today, a health check and a medical escort tomorrow), so the console's day view
 * and the residents' orders show appointments from the first start.
 */
import type { Trx } from '../db/database.ts';
import * as appts from '../modules/hall/appointment.repository.ts';
import { serviceSlotKey } from '../modules/hall/appointment.policy.ts';
import { takeCounter } from '../modules/hall/booking.repository.ts';
import { dayStart } from '../modules/hall/booking.policy.ts';
import { shanghaiDay } from '../platform/clock.ts';
import * as catalogue from '../modules/hall/catalogue.repository.ts';
import { postSale } from '../modules/hall/ledger.service.ts';
import { orderCode } from '../modules/hall/order.service.ts';
import * as orders from '../modules/hall/order.repository.ts';
import * as payments from '../modules/hall/payment.repository.ts';
import { iso, newId } from '../platform/clock.ts';
import type { AppDeps } from '../platform/deps.ts';

const HOUR = 3_600_000;

/** [neighbour index, service name, days from today, Shanghai hour, note] */
const PLAN: readonly [number, string, number, number, string | null][] = [
  [0, '家政保洁 2 小时', 0, 14, '3 楼 302，厨房油烟机重点清洁'],
  [1, '上门测血压血糖', 1, 9.5, '2 楼 201，老人行动不便'],
  [0, '陪诊服务（半天）', 1, 8, '去华西医院复诊，8 点在单元门口集合'],
];

/** Book the demo's appointments at one hall for its neighbours (paid through the local provider). */
export async function seedAppointments(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  hall: { id: string; community_id: string },
  neighbours: { user_id: string; scope_id: string }[],
): Promise<void> {
  const id = () => newId(deps.clock, deps.random);
  const now = deps.clock.now();
  const at = iso(now);
  const items = await catalogue.listItems(trx, hall.id);
  const today = dayStart(shanghaiDay(now));
  for (const [who, name, days, hour, note] of PLAN) {
    const r = neighbours[who];
    const item = items.find((i) => i.name === name);
    if (!r || !item?.slot_minutes) continue;
    const start = today + days * 24 * HOUR + hour * HOUR;
    const orderId = id();
    await takeCounter(trx, serviceSlotKey(item.id, iso(start)), item.slot_capacity ?? 1);
    const order: orders.OrderRow = {
      id: orderId,
      code: orderCode(deps.random),
      hall_id: hall.id,
      community_id: hall.community_id,
      user_id: r.user_id,
      unit_id: r.scope_id,
      status: 'paid',
      fulfilment: 'pickup',
      total_fen: item.price_fen,
      refunded_fen: 0,
      note,
      parcel_id: null,
      created_at: at,
      updated_at: at,
      paid_at: at,
    };
    await orders.insertOrder(trx, order, [
      { order_id: orderId, item_id: item.id, name, price_fen: item.price_fen, quantity: 1 },
    ]);
    await appts.insertAppointments(trx, [
      {
        id: id(),
        order_id: orderId,
        item_id: item.id,
        hall_id: hall.id,
        community_id: hall.community_id,
        user_id: r.user_id,
        unit_id: r.scope_id,
        slot_start: iso(start),
        slot_end: iso(start + item.slot_minutes * 60_000),
        places: 1,
        at_home: item.at_home,
        status: 'booked',
        created_at: at,
      },
    ]);
    const paymentId = id();
    const payment: payments.PaymentRow = {
      id: paymentId,
      community_id: hall.community_id,
      subject_kind: 'order',
      subject_id: orderId,
      user_id: r.user_id,
      provider: 'local',
      provider_ref: `local-${paymentId}`,
      amount_fen: item.price_fen,
      refunded_fen: 0,
      status: 'paid',
      created_at: at,
      paid_at: at,
    };
    await payments.insertPayment(trx, payment);
    await postSale(trx, deps, payment);
  }
}
