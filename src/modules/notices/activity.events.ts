/**
 * What notices tells other modules about activities (analytics' hall figures, ADR 0029): a
 * resident signed up for an activity (a new sign-up; taking a cancelled one back is not counted
 * again). Subscribers run in the sign-up's transaction.
 */
import type { Executor } from '../../db/database.ts';

/** One sign-up: its row id, the activity's community, when it was made. */
export interface ActivitySignupFact {
  id: string;
  communityId: string;
  activityId: string;
  at: string;
}

/** A subscriber to sign-ups. */
export type ActivitySignupHandler = (trx: Executor, f: ActivitySignupFact) => Promise<void>;

const handlers = new Set<ActivitySignupHandler>();

/** Subscribe to sign-ups; subscribing the same handler twice is a no-op. */
export function onActivitySignup(handler: ActivitySignupHandler): void {
  handlers.add(handler);
}

/** Tell every subscriber, inside the caller's transaction. */
export async function emitActivitySignup(trx: Executor, f: ActivitySignupFact): Promise<void> {
  for (const h of handlers) await h(trx, f);
}
