/** A rate limit's row (../limits.ts) and the units its windows are written in. */

/** One minute in seconds. */
export const MINUTE = 60;
/** One hour in seconds. */
export const HOUR = 3600;
/** One day in seconds. */
export const DAY = 86_400;

/** One rate limit: what it counts, how many per window, and what the docs say of it. */
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
