/**
 * A small seeded PRNG (sfc32, seeded through cyrb128) implementing the platform's Random
 * port, so a fleet run can be replayed exactly from its printed seed.
 */
import type { Random } from '../kernel/clock.ts';

/** Random with a uniform float as well; deterministic for a given seed. */
export interface SeededRandom extends Random {
  /** Uniform in [0, 1). */
  float(): number;
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** A PRNG stream for `seed` (any text; derive sub-streams as `${seed}:${name}`). */
export function seededRandom(seed: string | number): SeededRandom {
  let [a, b, c, d] = cyrb128(String(seed));
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();
  return {
    float: () => next() / 4294967296,
    int: (max) => Math.floor((next() / 4294967296) * max),
    bytes: (n) => {
      const out = Buffer.alloc(n);
      let word = 0;
      for (let i = 0; i < n; i++) {
        if (i % 4 === 0) word = next();
        out[i] = (word >>> ((i % 4) * 8)) & 0xff;
      }
      return out;
    },
  };
}
