/**
 * The agent's local screen API (`src/device/screen/screen-server.ts`) as the locker-screen
 * web app (`web/apps/kiosk/screen-api.ts`) reads it: the contract's second wire, HTTP on the
 * cabinet instead of MQTT to the cloud. Types only, no imports, so the browser build can use
 * them as they are.
 */

/** What the screen shows right after a code or a deposit press. */
export type ScreenReply =
  | { result: 'sent'; requestId: string }
  | { result: 'opened' | 'door_jammed' | 'already_open' | 'unknown_outcome'; compartment: number }
  /** retryAfterSeconds: the keypad slowed down after this one (the next code is taken then). */
  | { result: 'wrong_code'; attemptsLeft: number; retryAfterSeconds?: number }
  /** The keypad takes no code for now: slowed by recent wrong codes, or locked; app pickup still works. */
  | { result: 'locked'; retryAfterSeconds: number; keypad?: 'slowed' | 'locked' }
  | { result: 'invalid'; field?: 'code' | 'waybill' | 'recipientPhone' | 'size' }
  | { result: 'signed_out' }
  | { result: 'unavailable' };

/** What a signed-in courier fills in on the screen to get a compartment. */
export interface ScreenDepositInput {
  waybill: string;
  recipientPhone: string;
  size: 'S' | 'M' | 'L' | 'XL';
}

/** The keypad now (throttle.ts): open, slowed by wrong codes, or locked; app pickups are never blocked. */
export interface ScreenKeypad {
  state: 'open' | 'slowed' | 'locked';
  retryAfterSeconds: number;
  attemptsLeft: number;
}

/** What GET /api/status answers: the place the cabinet stands (null until the cloud named it), online state, the keypad. */
export interface ScreenStatus {
  lockerId: string;
  place: string | null;
  online: boolean;
  keypad: ScreenKeypad;
}

/** Who is signed in at the screen for deposits ({ courier: null } when nobody is). */
export type ScreenCourier = { courier: null } | { courier: string; expiresAt: string };

/** What the screen shows for a request the cloud is deciding. */
export type ScreenRequestState =
  | { state: 'pending' }
  | { state: 'opened' | 'door_jammed' | 'already_open' | 'unknown_outcome'; compartment: number }
  /** For a wrong code: tries left before the lock, and the wait it caused. */
  | {
      state: 'denied';
      outcome: string;
      attemptsLeft?: number;
      retryAfterSeconds?: number;
      keypad?: 'slowed' | 'locked';
    }
  | { state: 'expired' };
