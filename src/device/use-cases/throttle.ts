/**
 * Wrong-code throttling on the keypad (pure functions; the state lives in the store so a
 * power cycle does not reset it). After wrongCodeLimit wrong codes the keypad locks for
 * lockoutSeconds, doubling with each further lockout up to 16×; a quiet day forgives.
 */
import type { DeviceSettings } from '../../contract/commands.ts';

/** Persisted throttle state. Times are ms since the epoch. */
export interface ThrottleState {
  failures: number;
  lockouts: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** No failures, no lockouts. */
export const INITIAL_THROTTLE: ThrottleState = Object.freeze({ failures: 0, lockouts: 0, lockedUntil: 0, lastFailureAt: 0 });

const FORGIVE_MS = 24 * 3600 * 1000;
const MAX_MULTIPLIER = 16;

/** Seconds left on a lockout, 0 when codes are accepted. */
export function lockedForSeconds(s: ThrottleState, now: number): number {
  return s.lockedUntil > now ? Math.ceil((s.lockedUntil - now) / 1000) : 0;
}

/** Record a wrong code; `locked` is true when this failure started a lockout. */
export function recordFailure(s: ThrottleState, now: number, settings: Pick<DeviceSettings, 'wrongCodeLimit' | 'lockoutSeconds'>): { state: ThrottleState; locked: boolean } {
  const base = now - s.lastFailureAt > FORGIVE_MS ? INITIAL_THROTTLE : s;
  const failures = base.failures + 1;
  if (failures < settings.wrongCodeLimit) return { state: { ...base, failures, lastFailureAt: now }, locked: false };
  const multiplier = Math.min(MAX_MULTIPLIER, 2 ** base.lockouts);
  return {
    state: { failures: 0, lockouts: base.lockouts + 1, lockedUntil: now + settings.lockoutSeconds * 1000 * multiplier, lastFailureAt: now },
    locked: true,
  };
}

/** A correct code clears the failure count (earned lockouts still decay only with time). */
export function recordSuccess(s: ThrottleState): ThrottleState {
  return { ...s, failures: 0 };
}

/** Wrong codes left before the next lockout. */
export function attemptsLeft(s: ThrottleState, settings: Pick<DeviceSettings, 'wrongCodeLimit'>): number {
  return Math.max(0, settings.wrongCodeLimit - s.failures);
}
