/**
 * Appointment-based services (issue 15): a service with slot settings is ordered for one
 * slot. The slot's capacity is a named counter taken in the order's own transaction, so
 * parallel orders never overbook; cancelling or expiring the order gives the places back.
 */
import type { Static } from 'typebox';
import type { Executor, Trx } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { findHall, unitLabels } from '../places/index.ts';
import * as appts from './appointment.repository.ts';
import * as rules from './appointment.policy.ts';
import type * as s from './appointment.schemas.ts';
import * as counters from './booking.repository.ts';
import { dayStart } from './booking.policy.ts';
import { shanghaiDay } from '../../platform/clock.ts';
import * as catalogue from './catalogue.repository.ts';
import { findOrders, type OrderRow } from './order.repository.ts';

const DAY = 86_400_000;

/** A service item's appointment settings as the API shows them (null: no appointment). */
export function presentSettings(i: catalogue.ItemRow): Static<typeof s.AppointmentSettings> | null {
  if (!rules.needsAppointment(i)) return null;
  return {
    slotMinutes: i.slot_minutes!,
    capacity: i.slot_capacity ?? 1,
    hours: i.slot_hours,
    atHome: i.at_home === 1,
  };
}

/** The item columns for appointment settings (all null for none). */
export function settingsColumns(a: Static<typeof s.AppointmentSettings> | null) {
  if (a?.hours && !rules.parseHours(a.hours))
    throw new AppError(
      'validation_failed',
      '服务时间应为“08:30-17:00”这样的格式，且开始早于结束。Service hours look like 08:30-17:00, opening before closing.',
    );
  return {
    slot_minutes: a?.slotMinutes ?? null,
    slot_capacity: a?.capacity ?? null,
    slot_hours: a?.hours ?? null,
    at_home: a?.atHome ? 1 : 0,
  };
}

/** What an order line asks of an appointment. */
export interface AppointmentAsk {
  item: catalogue.ItemRow;
  quantity: number;
  slotStart: string | undefined;
}

/**
 * Hold the appointment places an order's lines ask for, inside the order's transaction;
 * returns the appointment rows to insert once the order row exists. Throws a 4xx (and the
 * caller's transaction rolls everything back) for a missing, past, off-hours or full slot.
 */
export async function holdAppointments(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  order: Pick<OrderRow, 'id' | 'hall_id' | 'community_id' | 'user_id' | 'unit_id'>,
  asks: readonly AppointmentAsk[],
): Promise<appts.AppointmentRow[]> {
  const out: appts.AppointmentRow[] = [];
  let hallHours: string | null = null;
  for (const { item, quantity, slotStart } of asks) {
    if (!rules.needsAppointment(item)) {
      if (slotStart !== undefined)
        throw new AppError(
          'validation_failed',
          `“${item.name}”无需预约时段，请去掉所选时间。${item.name} takes no appointment: leave the time out.`,
        );
      continue;
    }
    if (slotStart === undefined)
      throw new AppError(
        'validation_failed',
        `“${item.name}”需要预约，请先选择日期和时段。${item.name} is by appointment: choose a day and a time slot first.`,
      );
    hallHours ??= (await findHall(trx, order.hall_id))?.opening_hours ?? '';
    const { start, end } = rules.checkAppointment(item, hallHours, slotStart, deps.clock.now());
    const capacity = item.slot_capacity ?? 1;
    if (quantity > capacity)
      throw new AppError(
        'validation_failed',
        `“${item.name}”每个时段最多预约 ${capacity}${item.unit}。${item.name} takes at most ${capacity} per slot: order fewer or split across slots.`,
      );
    const startIso = iso(start);
    if (
      !(await counters.takeCounter(
        trx,
        rules.serviceSlotKey(item.id, startIso),
        capacity,
        quantity,
      ))
    )
      throw conflict(
        `“${item.name}”该时段已约满，请选择其他时段。${item.name} is fully booked for that slot: choose another.`,
      );
    out.push({
      id: newId(deps.clock, deps.random),
      order_id: order.id,
      item_id: item.id,
      hall_id: order.hall_id,
      community_id: order.community_id,
      user_id: order.user_id,
      unit_id: order.unit_id,
      slot_start: startIso,
      slot_end: iso(end),
      places: quantity,
      at_home: item.at_home,
      status: 'booked',
      created_at: iso(deps.clock.now()),
    });
  }
  return out;
}

/** Insert the held appointments (after their order row). */
export const saveAppointments = appts.insertAppointments;

/** Cancel an order's appointments and give their places back (the order is being cancelled). */
export async function freeAppointments(trx: Trx, orderId: string): Promise<void> {
  for (const a of await appts.cancelAppointmentsOf(trx, orderId))
    await counters.releaseCounter(trx, rules.serviceSlotKey(a.item_id, a.slot_start), a.places);
}

/** The appointments of these orders, by order id and item id. */
export async function appointmentsByLine(db: Executor, orderIds: readonly string[]) {
  const rows = await appts.appointmentsOf(db, orderIds);
  return new Map(rows.map((a) => [`${a.order_id}:${a.item_id}`, a]));
}

/** A service's slots on a day with their free places (for the slot picker). */
export async function serviceSlots(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  hallId: string,
  itemId: string,
  day: string | undefined,
): Promise<Static<typeof s.ServiceSlotsView>> {
  const [item] = await catalogue.findItems(deps.db, [itemId]);
  if (!item || item.hall_id !== hallId || item.active !== 1) throw notFound('That service');
  if (!rules.needsAppointment(item))
    throw new AppError(
      'validation_failed',
      `“${item.name}”无需预约，直接下单即可。${item.name} takes no appointment: order it directly.`,
    );
  const now = deps.clock.now();
  const theDay = day ?? shanghaiDay(now);
  const hallHours = (await findHall(deps.db, hallId))?.opening_hours ?? '';
  const starts = rules.serviceSlotsOn(item, hallHours, theDay);
  const taken = await counters.counters(
    deps.db,
    starts.map((t) => rules.serviceSlotKey(item.id, iso(t))),
  );
  const capacity = item.slot_capacity ?? 1;
  const len = item.slot_minutes! * 60_000;
  return {
    itemId: item.id,
    day: theDay,
    hours: rules.hoursText(rules.serviceHours(item, hallHours)),
    slotMinutes: item.slot_minutes!,
    capacity,
    atHome: item.at_home === 1,
    slots: starts.map((t) => ({
      start: iso(t),
      end: iso(t + len),
      free: Math.max(0, capacity - (taken.get(rules.serviceSlotKey(item.id, iso(t))) ?? 0)),
      open:
        t >= now + rules.SERVICE_NOTICE_MINUTES * 60_000 &&
        t <= now + rules.SERVICE_AHEAD_DAYS * DAY,
    })),
  };
}

/**
 * The console's appointments of a day: service, time, order code and, for a home visit, the
 * unit (compound, building, unit) — no name or phone; the resident's note says the door number.
 */
export async function appointmentDay(
  deps: Pick<AppDeps, 'db'>,
  hallId: string,
  day: string,
): Promise<Static<typeof s.AppointmentDayView>> {
  const from = dayStart(day);
  const rows = await appts.appointmentsOfHall(deps.db, hallId, iso(from), iso(from + DAY));
  const orders = await ordersById(
    deps.db,
    rows.map((a) => a.order_id),
  );
  const items = new Map(
    (await catalogue.findItems(deps.db, [...new Set(rows.map((a) => a.item_id))])).map((i) => [
      i.id,
      i,
    ]),
  );
  const homes = rows.filter((a) => a.at_home === 1).map((a) => a.unit_id);
  const labels = new Map(
    (await unitLabels(deps.db, [...new Set(homes)])).map((u) => [u.unitId, u.label]),
  );
  return {
    day,
    appointments: rows.map((a) => {
      const o = orders.get(a.order_id);
      return {
        id: a.id,
        orderId: a.order_id,
        orderCode: o?.code ?? '',
        orderStatus: o?.status ?? 'cancelled',
        service: items.get(a.item_id)?.name ?? '',
        start: a.slot_start,
        end: a.slot_end,
        places: a.places,
        where: a.at_home === 1 ? (labels.get(a.unit_id) ?? null) : null,
        note: o?.note ?? null,
      };
    }),
  };
}

async function ordersById(db: Executor, ids: readonly string[]) {
  return new Map((await findOrders(db, [...new Set(ids)])).map((o) => [o.id, o]));
}
