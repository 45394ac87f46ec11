/**
 * Touchscreen requests waiting for the cloud: a code entry or a deposit button press
 * that went out as a signal, answered later by an `open` (carrying screenRequestId) or
 * a `screen_result`. Kept in memory only: after a restart the screen simply starts over.
 */
import type { Clock } from '../../kernel/clock.ts';
import type { ScreenRequestState } from '../../contract/screen-wire.ts';

type KeypadDetail = Omit<Extract<ScreenRequestState, { state: 'denied' }>, 'state' | 'outcome'>;

interface Entry {
  kind: 'code' | 'deposit';
  /** The typed code's keyed fingerprint (code entries), so the throttle counts a refused code once. */
  fingerprint?: string;
  createdAt: number;
  value: ScreenRequestState;
}

/** A courier signed in at this screen (ADR 0018); the token is the cloud's, opaque here. */
export interface CourierSession {
  session: string;
  courier: string;
  expiresAt: number;
}

/** Register of recent screen requests, and the courier signed in at the screen. */
export class ScreenRequests {
  private readonly entries = new Map<string, Entry>();
  private courierSession: CourierSession | null = null;

  /** The cloud signed a courier in (a newer sign-in replaces the old one). */
  signIn(s: CourierSession): void {
    this.courierSession = s;
  }

  /** The courier signed out on the screen, or the session ran out. */
  signOut(): void {
    this.courierSession = null;
  }

  /** The courier signed in now, or null. */
  courier(): CourierSession | null {
    if (this.courierSession && this.courierSession.expiresAt <= this.clock.now())
      this.courierSession = null;
    return this.courierSession;
  }

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  /** Start tracking a request the agent just signalled. */
  add(requestId: string, kind: 'code' | 'deposit', fingerprint?: string): void {
    this.prune();
    this.entries.set(requestId, {
      kind,
      createdAt: this.clock.now(),
      value: { state: 'pending' },
      ...(fingerprint ? { fingerprint } : {}),
    });
  }

  /** The cloud opened a compartment for this request; false when the request is unknown. */
  opened(
    requestId: string,
    compartment: number,
    outcome: 'opened' | 'door_jammed' | 'already_open' | 'unknown_outcome',
  ): boolean {
    const e = this.entries.get(requestId);
    if (!e) return false;
    e.value = { state: outcome, compartment };
    return true;
  }

  /** What a request was for (undefined when unknown or forgotten). */
  kindOf(requestId: string): 'code' | 'deposit' | undefined {
    return this.entries.get(requestId)?.kind;
  }

  /** The cloud refused this request (with what the keypad says now, for a wrong code); returns the entry, or undefined when unknown. */
  denied(
    requestId: string,
    outcome: string,
    keypad: KeypadDetail = {},
  ): { kind: 'code' | 'deposit'; fingerprint?: string } | undefined {
    const e = this.entries.get(requestId);
    if (!e) return undefined;
    e.value = { state: 'denied', outcome, ...keypad };
    return e;
  }

  /** Current state for the screen's poll. */
  get(requestId: string): ScreenRequestState | undefined {
    const e = this.entries.get(requestId);
    if (!e) return undefined;
    if (e.value.state === 'pending' && this.clock.now() - e.createdAt > this.ttlMs)
      return { state: 'expired' };
    return e.value;
  }

  private prune(): void {
    const cutoff = this.clock.now() - 5 * this.ttlMs;
    for (const [id, e] of this.entries) if (e.createdAt < cutoff) this.entries.delete(id);
  }
}
