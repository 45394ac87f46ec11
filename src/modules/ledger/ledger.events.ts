/**
 * What the ledger tells other modules (analytics' fund rollup, ADR 0029): an entry was
 * posted. Subscribers run in the posting transaction: a failing one rolls the entry back.
 */
import type { Executor } from '../../db/database.ts';

/** A newly posted entry (never a replayed one). */
export interface PostedEntry {
  id: string;
  kind: string;
  /** Business time, ISO-8601 UTC. */
  at: string;
  lines: { accountId: string; amount: number }[];
}

/** A subscriber to posted entries. */
export type EntryPostedHandler = (trx: Executor, entry: PostedEntry) => Promise<void>;

const handlers = new Set<EntryPostedHandler>();

/** Subscribe to posted entries; subscribing the same handler twice is a no-op. */
export function onEntryPosted(handler: EntryPostedHandler): void {
  handlers.add(handler);
}

/** Tell every subscriber, inside the posting transaction. */
export async function emitEntryPosted(trx: Executor, entry: PostedEntry): Promise<void> {
  for (const h of handlers) await h(trx, entry);
}
