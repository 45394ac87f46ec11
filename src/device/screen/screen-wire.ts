/**
 * What the agent's local screen API answers (`src/device/screen/screen-server.ts`), shared
 * with the locker-screen web app (`web/apps/kiosk/screen-api.ts`). Types only, no imports,
 * so the browser build can use them as they are.
 */

/** What the screen shows right after a code or a deposit press. */
export type ScreenReply =
  | { result: 'sent'; requestId: string }
  | { result: 'opened' | 'door_jammed' | 'already_open' | 'unknown_outcome'; compartment: number }
  | { result: 'wrong_code'; attemptsLeft: number }
  | { result: 'locked'; retryAfterSeconds: number }
  | { result: 'invalid'; field?: 'code' | 'waybill' | 'recipientPhone' | 'size' }
  | { result: 'signed_out' }
  | { result: 'unavailable' };

/** What a signed-in courier fills in on the screen to get a compartment. */
export interface ScreenDepositInput {
  waybill: string;
  recipientPhone: string;
  size: 'S' | 'M' | 'L' | 'XL';
}

/** Who is signed in at the screen for deposits ({ courier: null } when nobody is). */
export type ScreenCourier = { courier: null } | { courier: string; expiresAt: string };

/** What the screen shows for a request the cloud is deciding. */
export type ScreenRequestState =
  | { state: 'pending' }
  | { state: 'opened' | 'door_jammed' | 'already_open' | 'unknown_outcome'; compartment: number }
  | { state: 'denied'; outcome: string }
  | { state: 'expired' };
