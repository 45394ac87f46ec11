/**
 * Deadlines in working days (issue 16, ADR 0024). Days are Asia/Shanghai dates (UTC+8, no
 * daylight saving). A day is worked when it is Monday–Friday and not a listed holiday, or
 * when it is listed as a make-up working day (调休上班). The day a request arrives does not
 * count: "3 working days" ends at 23:59:59 local of the third working day after it.
 */
import { SHANGHAI_OFFSET_MS, shanghaiDay } from '../../platform/clock.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3600_000;

/** Calendar overrides by YYYY-MM-DD. */
export type CalendarDays = ReadonlyMap<string, 'holiday' | 'workday'>;

/** A deadline class as the computation needs it. */
export interface DeadlineRule {
  unit: 'hours' | 'working_days';
  amount: number;
  respondHours: number;
  warnHours: number;
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Whether a local date is a working day under the calendar. */
export function isWorkingDay(day: string, calendar: CalendarDays): boolean {
  const override = calendar.get(day);
  if (override) return override === 'workday';
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** 23:59:59 Asia/Shanghai of a local date, as epoch ms. */
export function endOfLocalDay(day: string): number {
  return Date.parse(`${day}T23:59:59Z`) - SHANGHAI_OFFSET_MS;
}

/** The Nth working day after the day of `fromMs` (N ≥ 1). */
export function addWorkingDays(fromMs: number, n: number, calendar: CalendarDays): string {
  let day = shanghaiDay(fromMs);
  let left = n;
  // A year of days is far more than any class needs; the bound stops a misconfigured calendar looping.
  for (let i = 0; i < 366 && left > 0; i++) {
    day = nextDay(day);
    if (isWorkingDay(day, calendar)) left--;
  }
  if (left > 0) throw new Error('No working days in the calendar within a year.');
  return day;
}

/** When a request received at `receivedMs` is due, when to warn, and by when to respond. */
export function deadlineFor(
  receivedMs: number,
  rule: DeadlineRule,
  calendar: CalendarDays,
): { dueMs: number; warnMs: number; respondByMs: number } {
  const dueMs =
    rule.unit === 'hours'
      ? receivedMs + rule.amount * HOUR_MS
      : endOfLocalDay(addWorkingDays(receivedMs, rule.amount, calendar));
  const warnMs = Math.max(receivedMs, dueMs - rule.warnHours * HOUR_MS);
  const respondByMs = Math.min(dueMs, receivedMs + rule.respondHours * HOUR_MS);
  return { dueMs, warnMs, respondByMs };
}

/** The range of local dates a deadline may need from the calendar (generous: 120 days). */
export function calendarWindow(receivedMs: number): { from: string; to: string } {
  return { from: shanghaiDay(receivedMs), to: shanghaiDay(receivedMs + 120 * DAY_MS) };
}
