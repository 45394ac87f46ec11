/**
 * Every rate limit of antnest in one table (issue 13, Deliver 3). Services name a row and
 * the subject it counts (`limit('otpSendPerPhoneHour', phoneHash)`); the counting itself
 * is `rate-limit.ts` (fixed windows in the database, ADR 0006, so a limit holds across
 * nodes). docs/security.md "Limits" shows this table; `limits.test.ts` hits each row on
 * its route or service. Keys never contain a clear phone number (the keyed hash is used).
 */
import type { Limit } from './rate-limit.ts';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

export interface LimitRule {
  /** The counter key's prefix; the subject (a user id, a phone hash, an address) follows it. */
  prefix: string;
  /** What the subject is, for the docs table. */
  per: string;
  max: number;
  windowSeconds: number;
  /** Shown to the caller when the limit is hit (the wait is appended). */
  message: string;
  /** Why this number, for the docs table. */
  why: string;
  /** Where it is enforced; `planned` rows reserve a number for an API that does not exist yet. */
  where: string;
  planned?: true;
}

/** The table. Add a row here (and a case in limits.test.ts) for every new limit. */
export const LIMITS = {
  otpSendPerPhoneMinute: {
    prefix: 'otp-send:phone-min',
    per: 'phone (hash)',
    max: 1,
    windowSeconds: MINUTE,
    message: 'A code was just sent to this number.',
    why: 'one SMS at a time; the app shows a 60-s resend timer',
    where: 'POST /auth/otp',
  },
  otpSendPerPhoneHour: {
    prefix: 'otp-send:phone-hour',
    per: 'phone (hash)',
    max: 5,
    windowSeconds: HOUR,
    message: 'Too many codes requested for this number.',
    why: 'with 5 guesses per code: at most 25 guesses per phone per hour (0.0025 %)',
    where: 'POST /auth/otp',
  },
  otpSendPerAddressHour: {
    prefix: 'otp-send:ip',
    per: 'client address',
    max: 30,
    windowSeconds: HOUR,
    message: 'Too many codes requested from this network.',
    why: 'one address cannot spray codes over many phones',
    where: 'POST /auth/otp',
  },
  otpGuessesPerCode: {
    prefix: 'otp-attempts',
    per: 'code',
    max: 5,
    windowSeconds: 5 * MINUTE,
    message: 'The code is wrong or expired.',
    why: 'counted atomically on the code row before comparing, then the code is burned (lives 5 min)',
    where: 'POST /auth/otp/verify (column otp_challenges.attempts)',
  },
  loginPerAccount: {
    prefix: 'login:user',
    per: 'username',
    max: 10,
    windowSeconds: 15 * MINUTE,
    message: 'Too many sign-in attempts for this account.',
    why: 'argon2id passwords of ≥ 10 characters; 960 guesses a day per account',
    where: 'POST /auth/login',
  },
  loginPerAddress: {
    prefix: 'login:ip',
    per: 'client address',
    max: 100,
    windowSeconds: 15 * MINUTE,
    message: 'Too many sign-in attempts from this network.',
    why: 'one address cannot spray passwords over many accounts; a hall behind one NAT still signs in',
    where: 'POST /auth/login',
  },
  pickupWrongCodesPerPhone: {
    prefix: 'pickup-wrong:phone',
    per: 'phone (hash) of the signed-in resident',
    max: 5,
    windowSeconds: 10 * MINUTE,
    message: 'Too many wrong codes from your phone.',
    why: 'a resident types their own code; five slips are plenty',
    where: 'POST /me/pickups/code',
  },
  pickupWrongCodesPerLocker: {
    prefix: 'pickup-wrong:locker',
    per: 'locker',
    max: 10,
    windowSeconds: 10 * MINUTE,
    message: 'Too many wrong codes at this locker.',
    why: '8-digit codes, ≤ 60 live: ≈ 0.09 % per locker per day of trying (docs/security.md)',
    where: 'app code pickup and the keypad (code_entered), one counter',
  },
  pickupBadScansPerUser: {
    prefix: 'pickup-scan-bad',
    per: 'user',
    max: 20,
    windowSeconds: 10 * MINUTE,
    message: 'Too many unreadable scans.',
    why: 'a screen QR lives 30 s; a camera retrying is fine, a forger is not',
    where: 'POST /me/pickups/scan',
  },
  hallWrongCodesPerHall: {
    prefix: 'hall-code-wrong:hall',
    per: 'service hall',
    max: 10,
    windowSeconds: 10 * MINUTE,
    message: 'Too many wrong codes at this hall.',
    why: 'the same odds as a locker keypad',
    where: 'POST /halls/{id}/shelf/{item}/hand-over',
  },
  recipientLookupsPerCourier: {
    prefix: 'recipient-lookup:courier',
    per: 'courier',
    max: 120,
    windowSeconds: HOUR,
    message: 'Too many recipient look-ups from your account.',
    why: 'a busy round is ~60 parcels an hour; look-ups reveal whether a phone has an account',
    where: 'POST /couriers/recipient-preference, POST /couriers/consent-requests',
  },
  consentAsksPerRecipient: {
    prefix: 'consent-ask:recipient',
    per: 'recipient (user)',
    max: 20,
    windowSeconds: HOUR,
    message:
      'This recipient has had many consent requests in the last hour; call or text them instead.',
    why: 'couriers together cannot flood one resident with prompts',
    where: 'POST /couriers/consent-requests',
  },
  userLookupsPerCallerHour: {
    prefix: 'user-lookup:caller-hour',
    per: 'staff user',
    max: 30,
    windowSeconds: HOUR,
    message: 'Too many account look-ups from your account.',
    why: 'staff look up a person they are helping, not lists of phones (finding 2: 150 in a row were served)',
    where: 'POST /users/lookup',
  },
  userLookupsPerCallerDay: {
    prefix: 'user-lookup:caller-day',
    per: 'staff user',
    max: 100,
    windowSeconds: DAY,
    message: 'Too many account look-ups from your account today.',
    why: 'a day of desk work; beyond it, ask an administrator',
    where: 'POST /users/lookup',
  },
  smsPerRecipientHour: {
    prefix: 'user-sms:to-hour',
    per: 'recipient phone (hash)',
    max: 5,
    windowSeconds: HOUR,
    message: 'This number has received many messages from antnest residents in the last hour.',
    why: 'one phone cannot be flooded by residents (finding 3: share + revoke eight times sent eight SMS)',
    where: 'shares, neighbour deposits (resident-triggered SMS)',
  },
  smsPerRecipientDay: {
    prefix: 'user-sms:to-day',
    per: 'recipient phone (hash)',
    max: 10,
    windowSeconds: DAY,
    message: 'This number has received many messages from antnest residents today.',
    why: 'a family sharing a handful of parcels a day stays well inside',
    where: 'shares, neighbour deposits',
  },
  smsPerSenderHour: {
    prefix: 'user-sms:from-hour',
    per: 'resident (user)',
    max: 10,
    windowSeconds: HOUR,
    message: 'You have sent many messages through antnest in the last hour.',
    why: 'one account cannot spray SMS over many numbers',
    where: 'shares, neighbour deposits',
  },
  smsPerSenderDay: {
    prefix: 'user-sms:from-day',
    per: 'resident (user)',
    max: 20,
    windowSeconds: DAY,
    message: 'You have sent many messages through antnest today.',
    why: 'each SMS costs money and carries a locker location',
    where: 'shares, neighbour deposits',
  },
  neighbourDepositsPerResidentHour: {
    prefix: 'neighbour-deposit:user-hour',
    per: 'resident (user)',
    max: 5,
    windowSeconds: HOUR,
    message: 'You have left many things for neighbours in the last hour.',
    why: 'finding 7: one resident reserved compartments 1–25 in a row',
    where: 'POST /lockers/{id}/neighbour-deposits',
  },
  neighbourDepositsPerResidentDay: {
    prefix: 'neighbour-deposit:user-day',
    per: 'resident (user)',
    max: 10,
    windowSeconds: DAY,
    message: 'You have left many things for neighbours today.',
    why: 'compartments are shared by the whole unit',
    where: 'POST /lockers/{id}/neighbour-deposits',
  },
  sendsPerResidentHour: {
    prefix: 'send:user-hour',
    per: 'resident (user)',
    max: 5,
    windowSeconds: HOUR,
    message: 'You have sent many parcels in the last hour.',
    why: 'outgoing parcels hold a compartment until a courier comes',
    where: 'POST /lockers/{id}/outgoing',
  },
  sendsPerResidentDay: {
    prefix: 'send:user-day',
    per: 'resident (user)',
    max: 10,
    windowSeconds: DAY,
    message: 'You have sent many parcels today.',
    why: 'a small shop on a busy day; more goes over the hall counter',
    where: 'POST /lockers/{id}/outgoing',
  },
  parcelSearchesPerStaffMinute: {
    prefix: 'parcel-search:staff-min',
    per: 'staff user',
    max: 60,
    windowSeconds: MINUTE,
    message: 'Too many parcel searches from your account.',
    why: 'a 尾号 search lists parcels of the area; a desk answering residents searches a few times a minute, a script walking 0000–9999 does not',
    where: 'POST /communities/{id}/parcels/search',
  },
  parcelSearchesPerStaffDay: {
    prefix: 'parcel-search:staff-day',
    per: 'staff user',
    max: 1000,
    windowSeconds: DAY,
    message: 'Too many parcel searches from your account today.',
    why: 'a long day at the hall desk; all 10,000 尾号 of an area would take ten days',
    where: 'POST /communities/{id}/parcels/search',
  },
  householdCodeTriesPerUser: {
    prefix: 'household-join:user',
    per: 'user',
    max: 10,
    windowSeconds: HOUR,
    message: 'Too many invitation codes tried.',
    why: '8-digit single-use codes living 72 h: 240 guesses a day against 10^8, so with 1,000 open invitations in a subdistrict one account finds one with ≈ 0.24 % a day (each account needs its own phone)',
    where: 'POST /me/homes/join',
  },
  householdRequestsPerUser: {
    prefix: 'household-request:user',
    per: 'user',
    max: 5,
    windowSeconds: DAY,
    message: 'Too many binding requests today.',
    why: "each request lands in a community worker's queue",
    where: 'POST /me/homes/requests',
  },
  provisionPerLocker: {
    prefix: 'provision:locker',
    per: 'locker',
    max: 10,
    windowSeconds: 15 * MINUTE,
    message: 'Too many provisioning attempts for this locker.',
    why: 'a token is 256-bit; this only stops noise',
    where: 'POST /lockers/provision',
  },
  provisionPerAddress: {
    prefix: 'provision:ip',
    per: 'client address',
    max: 120,
    windowSeconds: HOUR,
    message: 'Too many provisioning attempts from this network.',
    why: 'an installer may set up a whole compound from one network',
    where: 'POST /lockers/provision',
  },
  needsPerPhoneDay: {
    prefix: 'needs:phone-day',
    per: 'phone (hash), or the resident without one',
    max: 10,
    windowSeconds: DAY,
    message:
      'This phone has filed many requests to the community today; the hall desk or 12345 can help.',
    why: "each request lands on a grid worker's list with a deadline; ten a day is more than any household needs",
    where: 'every needs intake: app, kiosk, hall desk, Open311',
  },
  open311PostPerAddress: {
    prefix: 'open311-post:ip',
    per: 'client address',
    max: 10,
    windowSeconds: HOUR,
    message: 'Too many service requests from this network.',
    why: 'Open311 filing needs a key; this caps one network even with several keys',
    where: 'POST /open311/v2/requests.{json,xml}',
  },
  publicApiPerKey: {
    prefix: 'public-api:key',
    per: 'API key',
    max: 1000,
    windowSeconds: HOUR,
    message: 'Too many requests with this API key.',
    why: 'one Open311 client (a city app) files for many residents; a runaway client stops here',
    where: 'POST /open311/v2/requests.{json,xml} (per api_key)',
  },
  hallOrdersPerResidentHour: {
    prefix: 'hall-order:user',
    per: 'resident',
    max: 20,
    windowSeconds: HOUR,
    message: '下单太频繁，请稍后再试。You have placed many hall orders in the last hour.',
    why: 'each checkout holds stock and opens a payment; a household orders a few times a day, a script draining stock stops here',
    where: 'POST /me/halls/{hallId}/orders',
  },
  hallGroupBuyWritesPerResidentHour: {
    prefix: 'hall-groupbuy:user',
    per: 'resident',
    max: 20,
    windowSeconds: HOUR,
    message:
      '拼团发起或参团太频繁，请稍后再试。You have proposed or joined many group buys in the last hour.',
    why: "each proposal lands on the hall's list and each join opens a payment; a household needs a handful an hour",
    where: 'POST /me/halls/{hallId}/group-buys, POST /me/group-buys/{groupBuyId}/join',
  },
  hallBookingsPerResidentDay: {
    prefix: 'hall-booking:user',
    per: 'resident',
    max: 10,
    windowSeconds: DAY,
    message: '今天预约次数太多，请明天再试或到服务台预约。You have made many space bookings today.',
    why: 'a booking holds a table or room for others; the weekly quota caps live bookings, this caps book-and-cancel churn',
    where: 'POST /me/hall-spaces/{spaceId}/bookings',
  },
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
