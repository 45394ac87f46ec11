/** hourOf takes a stored instant's first 13 characters; Date is the reference, and the path for any other text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hourOf } from './rollup-rules.ts';

const TO = Date.UTC(2200, 0, 1);

describe('hourOf', () => {
  it('is the UTC hour of any instant, stored text or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: TO }), (ms) => {
        const d = new Date(ms);
        const want = d.toISOString().slice(0, 13);
        expect(hourOf(d.toISOString())).toBe(want);
        expect(hourOf(d.toUTCString())).toBe(want);
      }),
      { numRuns: 2_000 },
    );
    expect(hourOf('2026-12-07T08:05:00+08:00')).toBe('2026-12-07T00');
    expect(() => hourOf('not a time')).toThrow(RangeError);
  });

  it('agrees with Date on any text shaped like a stored instant, impossible fields included', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const byDate = (s: string) => {
      try {
        return new Date(s).toISOString().slice(0, 13);
      } catch {
        return 'throws';
      }
    };
    const ours = (s: string) => {
      try {
        return hourOf(s);
      } catch {
        return 'throws';
      }
    };
    fc.assert(
      fc.property(shaped, (s) => {
        expect(ours(s)).toBe(byDate(s));
      }),
      { numRuns: 5_000 },
    );
    // The cases slicing got wrong: a day past the month's end rolls over, a month 13 throws.
    expect(hourOf('2026-02-30T05:00:00.000Z')).toBe('2026-03-02T05');
    expect(hourOf('2026-04-31T23:59:59.999Z')).toBe('2026-05-01T23');
    expect(() => hourOf('2026-13-01T00:00:00.000Z')).toThrow(RangeError);
    expect(hourOf('2026-12-07T24:00:00.000Z')).toBe('2026-12-08T00');
  });
});
