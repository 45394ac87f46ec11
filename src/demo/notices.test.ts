import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHANGHAI_OFFSET_MS } from '../platform/clock.ts';
import { daytimeSlotIn } from './notices.ts';

const H = 3_600_000;
const D = 24 * H;
const SLOTS = ['09:30', '14:30', '19:00'];
/** Beijing wall-clock HH:MM of an instant. */
const hhmm = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);

describe('the demo activities’ daytime slots', () => {
  it('give the first 09:30, 14:30 or 19:00 Beijing time at least `atLeast` away', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(H, 2 * D, 3 * D, 5 * D, 36 * H),
        (now, atLeast) => {
          const wait = daytimeSlotIn(now, atLeast);
          expect(wait).toBeGreaterThanOrEqual(atLeast);
          expect(SLOTS).toContain(hhmm(now + wait));
          // The earliest: every slot instant of the Beijing days around, worked out with Date.
          const d = new Date(now + SHANGHAI_OFFSET_MS);
          const candidates = [-1, 0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) =>
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
          expect(now + wait).toBe(Math.min(...candidates.filter((t) => t >= now + atLeast)));
        },
      ),
      { seed: 20261207, numRuns: 1000 },
    );
  });

  it('keeps a daytime haircut inside the reminder window and moves evening ones to the morning', () => {
    // 13:00 Beijing, at least an hour → 14:30 the same day (1.5 h: its reminder goes out at once).
    expect(daytimeSlotIn(Date.UTC(2026, 11, 7, 5, 0), H)).toBe(1.5 * H);
    // 21:18 Beijing → 09:30 the next day; two days on → 09:30 three days on, not 21:18.
    const evening = Date.UTC(2026, 11, 7, 13, 18);
    expect(hhmm(evening + daytimeSlotIn(evening, H))).toBe('09:30');
    expect(hhmm(evening + daytimeSlotIn(evening, 2 * D))).toBe('09:30');
  });
});
