/**
 * What parcels tells other modules about consent (analytics' carrier report, ADR 0029): a
 * recipient declined a courier's consent request. Subscribers run in the deciding transaction.
 */
import type { Executor } from '../../../db/database.ts';

/** A declined consent request: whose carrier asked, at which locker, when it was declined. */
export interface ConsentRefusal {
  /** The consent request's id (unique per refusal). */
  id: string;
  communityId: string;
  lockerId: string;
  carrierId: string;
  at: string;
}

/** A subscriber to consent refusals. */
export type ConsentRefusalHandler = (trx: Executor, r: ConsentRefusal) => Promise<void>;

const handlers = new Set<ConsentRefusalHandler>();

/** Subscribe to consent refusals; subscribing the same handler twice is a no-op. */
export function onConsentDeclined(handler: ConsentRefusalHandler): void {
  handlers.add(handler);
}

/** Tell every subscriber, inside the caller's transaction. */
export async function emitConsentDeclined(trx: Executor, r: ConsentRefusal): Promise<void> {
  for (const h of handlers) await h(trx, r);
}
