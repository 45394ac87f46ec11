/**
 * The notice's deadline ("12/7 08:05", China time) is worked out by hand on the hot path;
 * Intl's formatter is the reference it must match, and the path for what the arithmetic
 * does not cover (before 1992, when China still had summer time; invalid instants).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineText, deadlineTextByIntl } from './overdue.policy.ts';

const FROM = Date.UTC(1992, 0, 1);
const TO = Date.UTC(2200, 0, 1);

describe('deadlineText', () => {
  it('reads as Intl writes it, for any instant from 1992 on', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), (ms) => {
        const at = new Date(ms).toISOString();
        expect(deadlineText(at)).toBe(deadlineTextByIntl(at));
      }),
      { numRuns: 5_000 },
    );
  });

  it('turns the day over at 16:00 UTC and keeps the 24-hour clock', () => {
    expect(deadlineText('2026-12-07T00:05:00.000Z')).toBe('12/7 08:05');
    expect(deadlineText('2026-01-31T16:00:00.000Z')).toBe('2/1 00:00');
    expect(deadlineText('2026-12-31T15:59:59.999Z')).toBe('12/31 23:59');
    expect(deadlineText('2026-12-31T16:00:00.000Z')).toBe('1/1 00:00');
    expect(deadlineText('2028-02-28T16:30:00.000Z')).toBe('2/29 00:30');
  });

  it('leaves summer time before 1992 to Intl', () => {
    // 1990-07-01 was in China's summer time (UTC+9): Intl knows it, a fixed +8 would not.
    expect(deadlineText('1990-07-01T00:00:00.000Z')).toBe(
      deadlineTextByIntl('1990-07-01T00:00:00.000Z'),
    );
    expect(deadlineText('1990-07-01T00:00:00.000Z')).toBe('7/1 09:00');
  });

  it('accepts any text Date reads, and refuses what it cannot', () => {
    expect(deadlineText('2026-12-07T08:05:00+08:00')).toBe('12/7 08:05');
    expect(() => deadlineText('not a time')).toThrow(RangeError);
  });
});
