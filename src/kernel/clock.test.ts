import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cryptoRandom, iso, ManualClock, newId, type Random } from './clock.ts';

/** The layout of RFC 9562's UUIDv7: 48-bit ms timestamp, version 7, variant 10. */
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('writes the clock as the first 48 bits and keeps the random bits it was given', () => {
    const fixed: Random = { bytes: (n) => Buffer.alloc(n, 0xff), int: () => 0 };
    const id = newId(new ManualClock(Date.UTC(2026, 11, 6, 17, 0, 0, 123)), fixed);
    expect(id).toMatch(UUID7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(
      Date.UTC(2026, 11, 6, 17, 0, 0, 123),
    );
    expect(id).toBe(`01a24c4c-52fb-7fff-bfff-ffffffffffff`);
  });

  it('sorts by time and never repeats', () => {
    const clock = new ManualClock();
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 100 === 0) clock.advance(1);
      ids.push(newId(clock, cryptoRandom));
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID7);
    const byMs = ids.map((id) => id.slice(0, 13));
    expect([...byMs].sort()).toEqual(byMs);
  });
});

describe('cryptoRandom.bytes', () => {
  it('hands out fresh bytes of the length asked, small and large, never the same memory twice', () => {
    const a = cryptoRandom.bytes(16);
    const b = cryptoRandom.bytes(16);
    expect(a).toHaveLength(16);
    expect(a.equals(b)).toBe(false);
    a.fill(0);
    expect(b.every((x) => x === 0)).toBe(false);
    expect(cryptoRandom.bytes(5000)).toHaveLength(5000);
    // Across a refill of the pool (4 KiB) every request still gets its own bytes.
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) seen.add(cryptoRandom.bytes(16).toString('hex'));
    expect(seen.size).toBe(600);
  });
});

describe('iso', () => {
  it('formats each instant as Date does, the same instant twice in a row included', () => {
    const t = Date.UTC(2026, 11, 6, 8, 30, 15, 123);
    for (const ms of [t, t, t + 1, t, 0, 0, -1, 8.64e15])
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    expect(iso(t)).toBe('2026-12-06T08:30:15.123Z');
  });

  it('formats any sequence of instants as Date does, within a minute and across minutes', () => {
    const t = Date.UTC(2026, 11, 6, 8, 30, 15, 123);
    const near = fc.integer({ min: t - 180_000, max: t + 180_000 });
    const far = fc.integer({ min: -8.64e15, max: 8.64e15 });
    const edge = fc.constantFrom(-8.64e15, 8.64e15, -1, 0, 59_999, 60_000, -60_000, -60_001);
    fc.assert(
      fc.property(fc.array(fc.oneof(near, near, far, edge), { maxLength: 40 }), (instants) => {
        for (const ms of instants) expect(iso(ms)).toBe(new Date(ms).toISOString());
      }),
      { seed: 20261207, numRuns: 300 },
    );
    // A fraction of a millisecond is cut as Date cuts it, in the minute just formatted too.
    iso(t);
    expect(iso(t + 1.7)).toBe(new Date(t + 1.7).toISOString());
    expect(iso(-0.5)).toBe(new Date(-0.5).toISOString());
  });

  it('still refuses an invalid time, also right after a valid one', () => {
    iso(0);
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
    // Also in the last minute Date can show, just formatted.
    iso(8.64e15);
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
