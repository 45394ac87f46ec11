/**
 * The slot rules of appointment-based services: a service's slots run through its own
 * hours or the hall's opening hours ("08:00-21:00", Asia/Shanghai), each `slot_minutes`
 * long; an appointment must start on one of them, in the future, at most MAX_AHEAD_DAYS on.
 */
import { AppError } from '../../platform/errors.ts';
import type { ItemRow } from './catalogue.repository.ts';
import { dayStart } from './booking.policy.ts';
import { shanghaiDay } from '../../platform/clock.ts';

/** Book a service at least this long before its slot starts (the hall needs to send someone). */
export const SERVICE_NOTICE_MINUTES = 30;
/** Book a service at most this many days ahead. */
export const SERVICE_AHEAD_DAYS = 14;

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const HOURS = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Opening hours "HH:MM-HH:MM" as minutes after midnight; null when the text is not in that form. */
export function parseHours(text: string): { open: number; close: number } | null {
  const m = HOURS.exec(text.trim());
  if (!m) return null;
  const open = Number(m[1]) * 60 + Number(m[2]);
  const close = Number(m[3]) * 60 + Number(m[4]);
  return open < close && close <= 24 * 60 ? { open, close } : null;
}

/** True when the service is booked by appointment. */
export const needsAppointment = (item: Pick<ItemRow, 'kind' | 'slot_minutes'>) =>
  item.kind === 'service' && item.slot_minutes !== null;

/** The hours a service's slots run through: its own, else the hall's, else 08:00–21:00. */
export function serviceHours(item: Pick<ItemRow, 'slot_hours'>, hallHours: string) {
  return (
    (item.slot_hours ? parseHours(item.slot_hours) : null) ??
    parseHours(hallHours) ?? { open: 8 * 60, close: 21 * 60 }
  );
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The hours as text, for messages and the slot picker. */
export const hoursText = (h: { open: number; close: number }) => `${hhmm(h.open)}-${hhmm(h.close)}`;

/** Every slot start of a service on a Shanghai day (YYYY-MM-DD). */
export function serviceSlotsOn(item: ItemRow, hallHours: string, day: string): number[] {
  const len = item.slot_minutes ?? 60;
  const { open, close } = serviceHours(item, hallHours);
  const base = dayStart(day);
  const out: number[] = [];
  for (let m = open; m + len <= close; m += len) out.push(base + m * MIN);
  return out;
}

const bad = (msg: string) => new AppError('validation_failed', msg);

/** Check a requested appointment start; returns its start and end (ms). */
export function checkAppointment(item: ItemRow, hallHours: string, startIso: string, now: number) {
  const start = Date.parse(startIso);
  if (!Number.isFinite(start))
    throw bad('预约时间格式不对。The appointment time is not a valid date and time.');
  if (start < now)
    throw bad(
      `“${item.name}”的预约时间已经过去，请选择以后的时段。That appointment time for ${item.name} is in the past: choose a later slot.`,
    );
  if (start < now + SERVICE_NOTICE_MINUTES * MIN)
    throw bad(
      `请至少提前 ${SERVICE_NOTICE_MINUTES} 分钟预约“${item.name}”。Book ${item.name} at least ${SERVICE_NOTICE_MINUTES} minutes before the slot starts.`,
    );
  if (start > now + SERVICE_AHEAD_DAYS * DAY)
    throw bad(
      `最多可预约 ${SERVICE_AHEAD_DAYS} 天内的时段。Book at most ${SERVICE_AHEAD_DAYS} days ahead.`,
    );
  if (!serviceSlotsOn(item, hallHours, shanghaiDay(start)).includes(start)) {
    const h = hoursText(serviceHours(item, hallHours));
    throw bad(
      `“${item.name}”的服务时间为 ${h}，每 ${item.slot_minutes} 分钟一个时段，请在其中选择。${item.name} is served ${h} in ${item.slot_minutes}-minute slots: choose one of them.`,
    );
  }
  return { start, end: start + (item.slot_minutes ?? 60) * MIN };
}

/** The counter of one slot of one service. */
export const serviceSlotKey = (itemId: string, startIso: string) => `svc:${itemId}:${startIso}`;
