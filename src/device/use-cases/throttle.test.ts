/** The keypad's wrong-code curve (docs/security.md, "Locker screen keypad"), and the guessing budget it leaves. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings.ts';
import {
  FORGIVE_MS,
  INITIAL_THROTTLE,
  MAX_LOCK_SECONDS,
  keypadStatus,
  lockSeconds,
  recordFailure,
  recordSuccess,
  slowdownSeconds,
  type ThrottleState,
} from './throttle.ts';

const curve = {
  wrongCodeLimit: DEFAULT_SETTINGS.wrongCodeLimit,
  lockoutSeconds: DEFAULT_SETTINGS.lockoutSeconds,
};
const T0 = Date.parse('2026-12-05T08:00:00Z');

/** Type distinct wrong codes as fast as the keypad takes them; returns the waits the screen showed. */
function hammer(n: number, c = curve, start: ThrottleState = INITIAL_THROTTLE, t0 = T0) {
  let s = start;
  let now = t0;
  const waits: { state: string; seconds: number; left: number }[] = [];
  for (let i = 0; i < n; i++) {
    s = recordFailure(s, now, c, `fp-${t0}-${i}`).state;
    const k = keypadStatus(s, now, c);
    waits.push({ state: k.state, seconds: k.retryAfterSeconds, left: k.attemptsLeft });
    now += k.retryAfterSeconds * 1000;
  }
  return { s, now, waits };
}

describe('keypad throttle curve', () => {
  it('defaults: 8 distinct wrong codes before the lock — 3 free, then waits of 5, 10, 20, 40 s', () => {
    expect(curve).toEqual({ wrongCodeLimit: 8, lockoutSeconds: 60 });
    const { waits } = hammer(8);
    expect(waits.map((w) => w.seconds)).toEqual([0, 0, 0, 5, 10, 20, 40, 60]);
    expect(waits.map((w) => w.state)).toEqual([
      'open',
      'open',
      'open',
      'slowed',
      'slowed',
      'slowed',
      'slowed',
      'locked',
    ]);
    expect(waits.map((w) => w.left)).toEqual([7, 6, 5, 4, 3, 2, 1, 1]);
  });

  it('after a lock every distinct wrong code locks again, doubling, bounded at 15 min', () => {
    const { waits } = hammer(14);
    expect(waits.slice(7).map((w) => w.seconds)).toEqual([60, 120, 240, 480, 900, 900, 900]);
    expect(lockSeconds(30, curve)).toBe(MAX_LOCK_SECONDS);
    // A site that sets a longer first lock gets that, never more.
    expect(lockSeconds(0, { wrongCodeLimit: 8, lockoutSeconds: 3600 })).toBe(3600);
    expect(lockSeconds(5, { wrongCodeLimit: 8, lockoutSeconds: 3600 })).toBe(3600);
    // Slowdowns never exceed the first lock.
    expect(slowdownSeconds(7, { wrongCodeLimit: 20, lockoutSeconds: 30 })).toBe(30);
  });

  it('the smallest limit still slows before it locks', () => {
    const c = { wrongCodeLimit: 3, lockoutSeconds: 60 };
    expect(hammer(3, c).waits.map((w) => [w.state, w.seconds])).toEqual([
      ['open', 0],
      ['slowed', 5],
      ['locked', 60],
    ]);
  });

  it('counts a wrong code once per run: retyping it costs no try', () => {
    let s = INITIAL_THROTTLE;
    for (let i = 0; i < 10; i++) {
      const r = recordFailure(s, T0 + i * 1000, curve, 'same');
      expect(r.counted).toBe(i === 0);
      s = r.state;
    }
    expect(keypadStatus(s, T0 + 10_000, curve)).toEqual({
      state: 'open',
      retryAfterSeconds: 0,
      attemptsLeft: 7,
    });
  });

  it('a right code ends the run; earned locks remain until a quiet hour forgives them', () => {
    const { s, now } = hammer(8);
    const after = recordSuccess(s);
    expect(keypadStatus(after, now, curve)).toMatchObject({ state: 'open', attemptsLeft: 8 });
    // The next run's lock is the second one: 120 s.
    expect(hammer(8, curve, after, now).waits.at(-1)).toMatchObject({
      state: 'locked',
      seconds: 120,
    });
    // A quiet hour after the last wrong code: a fresh start.
    const quiet = now + FORGIVE_MS + 1000;
    expect(keypadStatus(s, quiet, curve)).toEqual({
      state: 'open',
      retryAfterSeconds: 0,
      attemptsLeft: 8,
    });
    expect(hammer(8, curve, s, quiet).waits.at(-1)).toMatchObject({ state: 'locked', seconds: 60 });
  });

  it('state saved by an older agent (no fingerprints) still works', () => {
    const old = { failures: 2, lockouts: 0, lockedUntil: 0, lastFailureAt: T0 } as ThrottleState;
    expect(recordFailure(old, T0 + 1000, curve, 'x').state).toMatchObject({
      failures: 3,
      tried: ['x'],
    });
  });

  /**
   * The guessing budget (docs/security.md): the most distinct codes one guesser can try at
   * one cabinet in a day, under the two best strategies — keep typing through the locks, or
   * stop at each lock and wait for the quiet hour to forgive.
   */
  it('leaves a guesser at most 200 distinct codes per cabinet per day', () => {
    const DAY = 86_400_000;
    const through = (() => {
      let s = INITIAL_THROTTLE;
      let now = T0;
      let n = 0;
      while (now < T0 + DAY) {
        s = recordFailure(s, now, curve, `g${n++}`).state;
        now += Math.max(1, keypadStatus(s, now, curve).retryAfterSeconds) * 1000;
      }
      return n;
    })();
    const waiting = (() => {
      let s = INITIAL_THROTTLE;
      let now = T0;
      let n = 0;
      while (now < T0 + DAY) {
        s = recordFailure(s, now, curve, `w${n++}`).state;
        const k = keypadStatus(s, now, curve);
        now += k.state === 'locked' ? FORGIVE_MS + 1000 : Math.max(1, k.retryAfterSeconds) * 1000;
      }
      return n;
    })();
    expect(through).toBeLessThanOrEqual(110);
    expect(waiting).toBeLessThanOrEqual(200);
    console.log(
      `keypad guessing budget per cabinet per day: through the locks ${through}, waiting out each lock ${waiting}`,
    );
  });
});
