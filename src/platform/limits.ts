/**
 * Every rate limit of antnest in one table (issue 13, Deliver 3). Services name a row and
 * the subject it counts (`limit('otpSendPerPhoneHour', phoneHash)`); the counting itself
 * is `rate-limit.ts` (fixed windows in the database, ADR 0006, so a limit holds across
 * nodes). docs/security.md "Limits" shows this table; `limits.test.ts` hits each row on
 * its route or service. Keys never contain a clear phone number (the keyed hash is used).
 */
import { ACCOUNT_LIMITS } from './limits/accounts.ts';
import { DEVICE_LIMITS } from './limits/devices.ts';
import { PARCEL_LIMITS } from './limits/parcels.ts';
import type { LimitRule } from './limits/rule.ts';
import { SERVICE_LIMITS } from './limits/services.ts';
import type { Limit } from './rate-limit.ts';

export type { LimitRule } from './limits/rule.ts';

/**
 * The table, one file per area under limits/. Add a row there (and a case in limits.test.ts)
 * for every new limit.
 */
export const LIMITS = {
  ...ACCOUNT_LIMITS,
  ...PARCEL_LIMITS,
  ...DEVICE_LIMITS,
  ...SERVICE_LIMITS,
} as const satisfies Record<string, LimitRule>;

export type LimitName = keyof typeof LIMITS;

/** The limit `name` applied to one subject (a user id, a phone hash, an address), ready for hitLimits. */
export function limit(name: LimitName, subject: string): Limit {
  const r: LimitRule = LIMITS[name];
  return {
    key: `${r.prefix}:${subject}`,
    max: r.max,
    windowSeconds: r.windowSeconds,
    message: r.message,
  };
}

/**
 * The SMS one resident's action sends to one phone (a share, a neighbour deposit): counted
 * per recipient and per sender, per hour and per day. One rule for every resident-triggered SMS.
 */
export function userSmsLimits(senderUserId: string, recipientPhoneHash: string): Limit[] {
  return [
    limit('smsPerRecipientHour', recipientPhoneHash),
    limit('smsPerRecipientDay', recipientPhoneHash),
    limit('smsPerSenderHour', senderUserId),
    limit('smsPerSenderDay', senderUserId),
  ];
}

/** Caps on what one resident may hold at once (counted from live rows, not counters). */
export const CAPS = {
  /** Compartments one resident may hold reserved or filled at one locker with neighbour deposits and outgoing parcels together. */
  residentLiveDepositsPerLocker: 3,
} as const;
