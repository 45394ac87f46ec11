/** Deadlines across weekends, holidays and make-up working days (2026 calendar). */
import { describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../platform/clock.ts';
import { type CalendarDays, deadlineFor, isWorkingDay } from './deadline.ts';

// The 2026 rows the tests rely on, as the catalogue migration seeds them.
const cal: CalendarDays = new Map([
  ['2026-01-01', 'holiday'],
  ['2026-01-02', 'holiday'],
  ['2026-01-03', 'holiday'],
  ['2026-01-04', 'workday'],
  ['2026-02-14', 'workday'],
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map(
    (d) => [`2026-02-${d}`, 'holiday'] as const,
  ),
  ['2026-02-28', 'workday'],
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as const),
  ['2026-09-20', 'workday'],
  ['2026-10-10', 'workday'],
]);
const help = { unit: 'working_days', amount: 3, respondHours: 24, warnHours: 24 } as const;
const complaint = { unit: 'working_days', amount: 13, respondHours: 24, warnHours: 48 } as const;
const urgent = { unit: 'hours', amount: 24, respondHours: 1, warnHours: 4 } as const;
/** Local (UTC+8) wall time → epoch ms. */
const local = (s: string) => Date.parse(`${s}+08:00`);
const dueLocal = (ms: number) =>
  `${shanghaiDay(ms)} ${new Date(ms + 8 * 3600_000).toISOString().slice(11, 19)}`;

describe('working-day deadlines', () => {
  it('counts weekdays and skips the weekend', () => {
    // Thursday 2026-12-03 → Fri, Mon, Tue.
    expect(dueLocal(deadlineFor(local('2026-12-03T10:00:00'), help, cal).dueMs)).toBe(
      '2026-12-08 23:59:59',
    );
    // Friday evening → Mon, Tue, Wed.
    expect(dueLocal(deadlineFor(local('2026-12-04T21:30:00'), help, cal).dueMs)).toBe(
      '2026-12-09 23:59:59',
    );
  });

  it('a request on Saturday starts counting on Monday', () => {
    expect(dueLocal(deadlineFor(local('2026-12-05T09:00:00'), help, cal).dueMs)).toBe(
      '2026-12-09 23:59:59',
    );
  });

  it('uses the local date, not the UTC one, near midnight', () => {
    // 00:30 Friday local is still Thursday in UTC; the local day (Friday) is the one that does not count.
    expect(dueLocal(deadlineFor(local('2026-12-04T00:30:00'), help, cal).dueMs)).toBe(
      '2026-12-09 23:59:59',
    );
  });

  it('skips the Spring Festival and counts the make-up Saturday', () => {
    // Thu 12 Feb: Fri 13, Sat 14 (make-up workday), then holidays 15–23, Tue 24.
    expect(dueLocal(deadlineFor(local('2026-02-12T15:00:00'), help, cal).dueMs)).toBe(
      '2026-02-24 23:59:59',
    );
    expect(isWorkingDay('2026-02-14', cal)).toBe(true);
    expect(isWorkingDay('2026-02-16', cal)).toBe(false);
  });

  it('13 working days across National Day and its make-up days', () => {
    // Fri 25 Sep 2026 (a holiday in the seed, but this test's calendar leaves it): 13 working days.
    // 28,29,30 Sep (3), Oct 1–7 off, Oct 8, 9 (5), Sat Oct 10 make-up (6), 12–16 (11), 19, 20 (13).
    expect(dueLocal(deadlineFor(local('2026-09-25T11:00:00'), complaint, cal).dueMs)).toBe(
      '2026-10-20 23:59:59',
    );
  });

  it('New Year: the make-up Sunday counts', () => {
    // Wed 31 Dec 2025: Jan 1–3 off, Sun 4 worked (1), Mon 5 (2), Tue 6 (3).
    expect(dueLocal(deadlineFor(local('2025-12-31T16:00:00'), help, cal).dueMs)).toBe(
      '2026-01-06 23:59:59',
    );
  });

  it('urgent requests run on the clock, holidays or not', () => {
    const r = local('2026-10-02T20:00:00');
    const d = deadlineFor(r, urgent, cal);
    expect(d.dueMs - r).toBe(24 * 3600_000);
    expect(d.warnMs).toBe(d.dueMs - 4 * 3600_000);
    expect(d.respondByMs).toBe(r + 3600_000);
  });

  it('warns before the deadline but never before receipt', () => {
    const r = local('2026-12-03T10:00:00');
    const d = deadlineFor(r, help, cal);
    expect(d.warnMs).toBe(d.dueMs - 24 * 3600_000);
    const tight = deadlineFor(r, { unit: 'hours', amount: 2, respondHours: 1, warnHours: 4 }, cal);
    expect(tight.warnMs).toBe(r);
  });
});
