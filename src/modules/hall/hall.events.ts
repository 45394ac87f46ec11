/**
 * What the hall tells other modules (analytics' rollups, ADR 0029), as a typed fact.
 * Subscribers run in the emitting transaction: a failing one rolls the change back.
 */
import type { Executor } from '../../db/database.ts';

/** One countable hall happening. `key` is unique per happening (kind + row id). */
export interface HallFact {
  key: string;
  kind: 'order_paid' | 'groupbuy_confirmed' | 'groupbuy_failed' | 'booking';
  communityId: string;
  hallId: string;
  at: string;
  /** The order's total for `order_paid`; 0 otherwise. */
  amountFen: number;
}

/** A subscriber to hall facts. */
export type HallFactHandler = (trx: Executor, fact: HallFact) => Promise<void>;

const handlers = new Set<HallFactHandler>();

/** Subscribe to hall facts; subscribing the same handler twice is a no-op. */
export function onHallFact(handler: HallFactHandler): void {
  handlers.add(handler);
}

/** Tell every subscriber, inside the caller's transaction. */
export async function emitHallFact(trx: Executor, fact: HallFact): Promise<void> {
  for (const h of handlers) await h(trx, fact);
}
