import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHANGHAI_OFFSET_MS } from '../platform/clock.ts';
import { nextHallSlotIn } from './notices.ts';

const H = 3_600_000;
const SLOTS = ['09:30', '14:30', '19:00'];
/** Beijing wall-clock HH:MM of an instant. */
const hhmm = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);

describe('the demo hall activity slot', () => {
  it('is the first 09:30, 14:30 or 19:00 Beijing time at least an hour away', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), (now) => {
        const wait = nextHallSlotIn(now);
        expect(wait).toBeGreaterThanOrEqual(H);
        expect(SLOTS).toContain(hhmm(now + wait));
        // The earliest: every slot instant of the Beijing days around `now`, worked out with Date.
        const d = new Date(now + SHANGHAI_OFFSET_MS);
        const candidates = [-1, 0, 1, 2].flatMap((k) =>
          [
            [9, 30],
            [14, 30],
            [19, 0],
          ].map(
            ([h, m]) =>
              Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + k, h, m) -
              SHANGHAI_OFFSET_MS,
          ),
        );
        expect(now + wait).toBe(Math.min(...candidates.filter((t) => t >= now + H)));
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('keeps a daytime start inside the reminder window and moves an evening one to the morning', () => {
    // 13:00 Beijing → 14:30 the same day (1.5 h: its reminder goes out at once).
    expect(nextHallSlotIn(Date.UTC(2026, 11, 7, 5, 0))).toBe(1.5 * H);
    // 21:18 Beijing → 09:30 the next day.
    expect(
      hhmm(Date.UTC(2026, 11, 7, 13, 18) + nextHallSlotIn(Date.UTC(2026, 11, 7, 13, 18))),
    ).toBe('09:30');
  });
});
