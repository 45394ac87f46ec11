/** Rate limits on lockers provisioning themselves. Part of the one table in ../limits.ts. */
import { MINUTE, HOUR, type LimitRule } from './rule.ts';

/** The rows of this area; the names are global (services name them in `limit()`). */
export const DEVICE_LIMITS = {
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
} as const satisfies Record<string, LimitRule>;
