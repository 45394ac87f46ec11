/**
 * The journal's hash chain and request fingerprints. Each entry's hash covers its
 * sequence number, id, content and postings and the previous entry's hash, so editing,
 * deleting or reordering a row behind the application's back breaks the chain.
 */
import { createHash } from 'node:crypto';

/** The content of an entry that its hash and fingerprint cover. */
export interface EntryContent {
  id: string;
  kind: string;
  at: string;
  memo: string;
  communityId: string | null;
  hallId: string | null;
  refKind: string | null;
  refId: string | null;
  /** [account id, signed fen] in line order. */
  lines: readonly (readonly [string, number])[];
}

export const GENESIS_HASH = '0'.repeat(64);

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function canonical(c: EntryContent): unknown[] {
  return [c.id, c.kind, c.at, c.memo, c.communityId, c.hallId, c.refKind, c.refId, c.lines];
}

/** What identifies a transfer request: a retry with the same id must carry the same fingerprint. */
export function fingerprint(c: EntryContent): string {
  return sha256(JSON.stringify(canonical(c)));
}

/** The chained hash of an entry at position seq after prevHash. */
export function entryHash(prevHash: string, seq: number, c: EntryContent): string {
  return sha256(`${prevHash}\n${JSON.stringify([seq, ...canonical(c)])}`);
}
