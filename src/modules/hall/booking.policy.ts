/** The booking rules of the rest area and meeting room, and slot arithmetic in Asia/Shanghai. */
import { AppError } from '../../platform/errors.ts';
import type { SpaceRow } from './booking.repository.ts';
import { SHANGHAI_OFFSET_MS, shanghaiDay } from '../../platform/clock.ts';

/** Book at least this long before the slot starts. */
export const MIN_NOTICE_MINUTES = 60;
/** Book at most this many days ahead. */
export const MAX_AHEAD_DAYS = 14;
/** Bookings one resident may hold per calendar week (Monday–Sunday, Asia/Shanghai) at one hall. */
export const WEEKLY_LIMIT = 3;

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** The instant a Shanghai calendar day (YYYY-MM-DD) starts. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/** The Monday (YYYY-MM-DD, Shanghai) of the instant's week. */
export function weekOf(ms: number): string {
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  const back = (local.getUTCDay() + 6) % 7;
  return new Date(ms + SHANGHAI_OFFSET_MS - back * DAY).toISOString().slice(0, 10);
}

/** Every slot start of a space on a day. */
export function slotsOn(space: SpaceRow, day: string): number[] {
  const out: number[] = [];
  const base = dayStart(day);
  for (
    let m = space.open_hour * 60;
    m + space.slot_minutes <= space.close_hour * 60;
    m += space.slot_minutes
  )
    out.push(base + m * MIN);
  return out;
}

/** Whether a slot can be booked now: places left, and inside the notice and look-ahead windows of checkSlot. */
export function bookable(start: number, free: number, now: number): boolean {
  return free > 0 && start >= now + MIN_NOTICE_MINUTES * MIN && start <= now + MAX_AHEAD_DAYS * DAY;
}

const bad = (msg: string) => new AppError('validation_failed', msg);

/** Check a requested slot against the rules; returns its start and end. */
export function checkSlot(space: SpaceRow, startIso: string, partySize: number, now: number) {
  const start = Date.parse(startIso);
  if (!Number.isFinite(start))
    throw bad('开始时间格式不对。The start time is not a valid date and time.');
  if (start < now)
    throw bad(
      '不能预约已经过去的时段，请选择以后的时间。That slot is in the past: choose a later one.',
    );
  if (start < now + MIN_NOTICE_MINUTES * MIN)
    throw bad(
      `请至少提前 ${MIN_NOTICE_MINUTES} 分钟预约。Book at least ${MIN_NOTICE_MINUTES} minutes before the slot starts.`,
    );
  if (start > now + MAX_AHEAD_DAYS * DAY)
    throw bad(
      `最多可预约 ${MAX_AHEAD_DAYS} 天内的时段。Book at most ${MAX_AHEAD_DAYS} days ahead.`,
    );
  if (!slotsOn(space, shanghaiDay(start)).includes(start))
    throw bad(
      `请选择开放时间（${space.open_hour}:00–${space.close_hour}:00）内整 ${space.slot_minutes} 分钟的时段。Choose one of the ${space.slot_minutes}-minute slots between ${space.open_hour}:00 and ${space.close_hour}:00.`,
    );
  if (partySize > space.seats)
    throw bad(
      `${space.name}最多容纳 ${space.seats} 人。${space.name} seats at most ${space.seats}.`,
    );
  return { start, end: start + space.slot_minutes * MIN };
}

/** Counter keys: one slot of one space, and one resident's week at one hall. */
export const slotKey = (spaceId: string, startIso: string) => `slot:${spaceId}:${startIso}`;
export const weekKey = (hallId: string, userId: string, week: string) =>
  `week:${hallId}:${userId}:${week}`;
