import { describe, expect, it } from 'vitest';
import { setBounded } from './bounded.ts';

describe('setBounded', () => {
  it('keeps at most max entries, letting the oldest go first', () => {
    const m = new Map<string, number>();
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) setBounded(m, k, i, 3);
    expect([...m.entries()]).toEqual([
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
  });

  it('replaces a kept key in place, letting nothing go', () => {
    const m = new Map([
      ['a', 0],
      ['b', 1],
    ]);
    setBounded(m, 'a', 9, 2);
    expect([...m.entries()]).toEqual([
      ['a', 9],
      ['b', 1],
    ]);
  });
});
