/** Rate limits on community services: needs intake (app, kiosk, hall desk, Open311) and the hall's resident writes. Part of the one table in ../limits.ts. */
import { HOUR, DAY, type LimitRule } from './rule.ts';

/** The rows of this area; the names are global (services name them in `limit()`). */
export const SERVICE_LIMITS = {
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
