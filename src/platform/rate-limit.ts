/**
 * Fixed-window counters in the database, so a limit holds across every node of a
 * cluster (an in-memory limiter would give each node its own allowance).
 */
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { prepare } from '../db/prepared.ts';
import { type Clock, iso } from './clock.ts';
import { AppError } from './errors.ts';

export interface Limit {
  /** What is counted, e.g. `otp-send:phone:<hash>`; never a clear phone number. */
  key: string;
  /** Allowed hits per window. */
  max: number;
  windowSeconds: number;
  /** Shown to the caller when the limit is hit. */
  message: string;
}

/** Count one hit against each limit; throws 429 with Retry-After when any is exceeded. */
export async function hitLimits(
  db: Executor,
  clock: Clock,
  limits: readonly Limit[],
): Promise<void> {
  const now = clock.now();
  for (const l of limits) {
    const expiredBefore = iso(now - l.windowSeconds * 1000);
    const row = await db
      .insertInto('rate_counters')
      .values({ key: l.key, window_start: iso(now), count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when rate_counters.window_start <= ${expiredBefore} then 1 else rate_counters.count + 1 end`,
          window_start: sql<string>`case when rate_counters.window_start <= ${expiredBefore} then excluded.window_start else rate_counters.window_start end`,
        }),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    if (row.count > l.max) {
      const retryAfter = Math.max(
        1,
        Math.ceil((Date.parse(row.window_start) + l.windowSeconds * 1000 - now) / 1000),
      );
      throw new AppError('rate_limited', `${l.message} Try again in ${retryAfter} seconds.`, {
        retryAfter,
      });
    }
  }
}

// Read on every deposit (the courier's SMS allowance): compiled once (ADR 0040).
const counterOf = prepare<{ key: string }, { count: number; window_start: string }>((db, p) =>
  db.selectFrom('rate_counters').select(['count', 'window_start']).where('key', '=', p('key')),
);

/** Seconds until the limit's window ends when it is already used up (without counting a hit), else null. */
export async function limitReachedFor(
  db: Executor,
  clock: Clock,
  l: Limit,
): Promise<number | null> {
  const row = await counterOf.first(db, { key: l.key });
  if (!row) return null;
  const endsAt = Date.parse(row.window_start) + l.windowSeconds * 1000;
  const now = clock.now();
  return endsAt > now && row.count >= l.max ? Math.max(1, Math.ceil((endsAt - now) / 1000)) : null;
}

/** True when the limit is already used up in the current window (without counting a hit). */
export async function limitReached(db: Executor, clock: Clock, l: Limit): Promise<boolean> {
  return (await limitReachedFor(db, clock, l)) !== null;
}

/** Throw the limit's 429 (with Retry-After) when it is already used up, without counting a hit. */
export async function refuseWhenReached(db: Executor, clock: Clock, l: Limit): Promise<void> {
  const wait = await limitReachedFor(db, clock, l);
  if (wait !== null)
    throw new AppError('rate_limited', `${l.message} Try again in ${wait} seconds.`, {
      retryAfter: wait,
    });
}
