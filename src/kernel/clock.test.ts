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

  it('still refuses an invalid time, also right after a valid one', () => {
    iso(0);
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(8.64e15 + 1)).toThrow(RangeError);
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
