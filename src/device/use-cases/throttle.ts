/**
 * Wrong-code throttling on the keypad (pure functions; the state lives in the store so a
 * power cycle does not reset it). The curve (docs/security.md, "Locker screen keypad"):
 *
 *  - the first FREE_TRIES wrong codes cost nothing (people mistype);
 *  - each further one slows the keypad: the next code is taken after 5 s, 10 s, 20 s, …
 *    (never more than lockoutSeconds), up to wrongCodeLimit wrong codes;
 *  - the wrongCodeLimit-th locks the keypad for lockoutSeconds, and every wrong code after
 *    a lock locks it again for twice as long, bounded by MAX_LOCK_SECONDS (or lockoutSeconds
 *    if that is longer) so a vandal cannot shut a cabinet's keypad for hours;
 *  - a wrong code counts once per run: typing the same wrong code again is refused (and
 *    still waits out a slowdown or lock) but costs no try, so only distinct guesses count —
 *    and distinct guesses are what enumeration needs;
 *  - a right code ends the run (failures back to 0; earned locks still grow until forgiven);
 *    an hour with no wrong code forgives everything.
 *
 * The throttle is the keypad's only: remote open and QR pickup from the app go through the
 * cloud as `open` commands and never consult it.
 */
import type { DeviceSettings } from '../../contract/commands.ts';

/** Persisted throttle state. Times are ms since the epoch. */
export interface ThrottleState {
  /** Distinct wrong codes in this run. */
  failures: number;
  lockouts: number;
  /** The keypad takes no code until then (a slowdown or a lock). */
  lockedUntil: number;
  lastFailureAt: number;
  /** Keyed fingerprints of the wrong codes counted in this run (never the codes); absent in state saved by older agents. */
  tried?: string[];
  /** Whether lockedUntil is a lock (true) or a slowdown (false). */
  locked?: boolean;
}

/** No failures, no lockouts. */
export const INITIAL_THROTTLE: ThrottleState = Object.freeze({
  failures: 0,
  lockouts: 0,
  lockedUntil: 0,
  lastFailureAt: 0,
  tried: [],
  locked: false,
});

/** Wrong codes that cost nothing. */
export const FREE_TRIES = 3;
/** The first slowdown; doubles with each wrong code after the free ones. */
export const FIRST_DELAY_SECONDS = 5;
/** The longest lock (unless lockoutSeconds itself is longer). */
export const MAX_LOCK_SECONDS = 15 * 60;
/** A quiet hour (no wrong code) forgives the run and the earned locks. */
export const FORGIVE_MS = 3600_000;
/** Fingerprints kept per run (a run locks long before this many). */
const MAX_TRIED = 32;

type Curve = Pick<DeviceSettings, 'wrongCodeLimit' | 'lockoutSeconds'>;

/** What the screen shows about the keypad now. */
export interface KeypadStatus {
  state: 'open' | 'slowed' | 'locked';
  /** Seconds until the keypad takes a code again (0 when open). */
  retryAfterSeconds: number;
  /** Wrong codes left before the keypad locks. */
  attemptsLeft: number;
}

/** Seconds left on a slowdown or lock, 0 when codes are accepted. */
export function lockedForSeconds(s: ThrottleState, now: number): number {
  return s.lockedUntil > now ? Math.ceil((s.lockedUntil - now) / 1000) : 0;
}

/** The free tries for this limit (at least one wrong code is always slowed before the lock). */
function freeTries(c: Curve): number {
  return Math.max(1, Math.min(FREE_TRIES, c.wrongCodeLimit - 2));
}

/** The slowdown after the n-th wrong code (seconds; 0 while free). */
export function slowdownSeconds(failures: number, c: Curve): number {
  const free = freeTries(c);
  if (failures <= free) return 0;
  return Math.min(c.lockoutSeconds, FIRST_DELAY_SECONDS * 2 ** (failures - free - 1));
}

/** The k-th lock's length (k from 0), bounded. */
export function lockSeconds(lockouts: number, c: Curve): number {
  return Math.min(
    c.lockoutSeconds * 2 ** Math.min(lockouts, 20),
    Math.max(c.lockoutSeconds, MAX_LOCK_SECONDS),
  );
}

/** The state as of `now`: a quiet hour forgives everything. */
function current(s: ThrottleState, now: number): ThrottleState {
  return s.lastFailureAt > 0 && now - s.lastFailureAt > FORGIVE_MS && s.lockedUntil <= now
    ? INITIAL_THROTTLE
    : s;
}

/**
 * Record a wrong code (with its keyed fingerprint when known). `locked` is true when this
 * failure started a lock; `counted` is false for a wrong code already counted in this run.
 */
export function recordFailure(
  s: ThrottleState,
  now: number,
  c: Curve,
  fingerprint?: string,
): { state: ThrottleState; locked: boolean; counted: boolean } {
  const base = current(s, now);
  const tried = base.tried ?? [];
  if (fingerprint && tried.includes(fingerprint))
    return { state: base, locked: false, counted: false };
  const nextTried = fingerprint ? [...tried, fingerprint].slice(-MAX_TRIED) : tried;
  const failures = base.failures + 1;
  if (failures < c.wrongCodeLimit) {
    const wait = slowdownSeconds(failures, c);
    return {
      state: {
        ...base,
        failures,
        tried: nextTried,
        lastFailureAt: now,
        lockedUntil: wait > 0 ? now + wait * 1000 : base.lockedUntil,
        locked: false,
      },
      locked: false,
      counted: true,
    };
  }
  // Locked: the run stays one short of the limit, so the next distinct wrong code locks again (longer).
  const until = now + lockSeconds(base.lockouts, c) * 1000;
  return {
    state: {
      failures: c.wrongCodeLimit - 1,
      lockouts: base.lockouts + 1,
      lockedUntil: until,
      lastFailureAt: now,
      tried: nextTried,
      locked: true,
    },
    locked: true,
    counted: true,
  };
}

/** A correct code ends the run (earned locks still decay only with time). */
export function recordSuccess(s: ThrottleState): ThrottleState {
  return { ...s, failures: 0, tried: [] };
}

/** Wrong codes left before the next lock. */
export function attemptsLeft(s: ThrottleState, c: Pick<DeviceSettings, 'wrongCodeLimit'>): number {
  return Math.max(0, c.wrongCodeLimit - s.failures);
}

/** What the keypad does now: open, slowed (wait a few seconds) or locked. */
export function keypadStatus(s: ThrottleState, now: number, c: Curve): KeypadStatus {
  const cur = current(s, now);
  const wait = lockedForSeconds(cur, now);
  return {
    state: wait === 0 ? 'open' : cur.locked ? 'locked' : 'slowed',
    retryAfterSeconds: wait,
    attemptsLeft: attemptsLeft(cur, c),
  };
}
