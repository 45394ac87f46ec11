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
});
