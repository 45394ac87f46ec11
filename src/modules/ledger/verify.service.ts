/**
 * `antnest ledger verify`: recompute every balance from the journal and walk the hash
 * chain. Anything edited, deleted or reordered behind the application's back shows up as
 * a problem naming the entry or account.
 */
import type { Executor } from '../../db/database.ts';
import { type EntryContent, entryHash, GENESIS_HASH } from './chain.ts';

/** The outcome of a verification. */
export interface VerifyReport {
  ok: boolean;
  entries: number;
  accounts: number;
  problems: string[];
}

const BATCH = 1000;

/** Check the whole journal against the stored balances and the chain head. */
export async function verifyLedger(db: Executor): Promise<VerifyReport> {
  const problems: string[] = [];
  const sums = new Map<string, number>();
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let count = 0;
  for (let after = 0; ;) {
    const entries = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    if (entries.length === 0) break;
    const lines = await db
      .selectFrom('ledger_postings')
      .selectAll()
      .where(
        'entry_id',
        'in',
        entries.map((e) => e.id),
      )
      .orderBy('line')
      .execute();
    const byEntry = new Map<string, (typeof lines)[number][]>();
    for (const l of lines) byEntry.set(l.entry_id, [...(byEntry.get(l.entry_id) ?? []), l]);
    for (const e of entries) {
      count++;
      if (e.seq !== expectSeq)
        problems.push(
          `entry ${e.id}: sequence ${e.seq}, expected ${expectSeq} (an entry is missing)`,
        );
      expectSeq = e.seq + 1;
      const own = byEntry.get(e.id) ?? [];
      const content: EntryContent = {
        id: e.id,
        kind: e.kind,
        at: e.at,
        memo: e.memo,
        communityId: e.community_id,
        hallId: e.hall_id,
        refKind: e.ref_kind,
        refId: e.ref_id,
        lines: own.map((l) => [l.account_id, l.amount] as const),
      };
      if (e.prev_hash !== prev)
        problems.push(
          `entry ${e.id} (#${e.seq}): chain broken — its previous hash is not the hash of entry #${e.seq - 1}`,
        );
      if (entryHash(e.prev_hash, e.seq, content) !== e.hash)
        problems.push(
          `entry ${e.id} (#${e.seq}): content does not match its hash (edited after posting)`,
        );
      const total = own.reduce((a, l) => a + l.amount, 0);
      if (total !== 0) problems.push(`entry ${e.id} (#${e.seq}): postings sum to ${total}, not 0`);
      for (const l of own) sums.set(l.account_id, (sums.get(l.account_id) ?? 0) + l.amount);
      prev = e.hash;
      after = e.seq;
    }
  }
  const head = await db
    .selectFrom('ledger_chain')
    .select(['seq', 'hash'])
    .where('id', '=', 'head')
    .executeTakeFirst();
  if (!head || head.seq !== expectSeq - 1 || head.hash !== prev)
    problems.push(
      `chain head (#${head?.seq}) does not match the last entry (#${expectSeq - 1}): entries were removed or added behind the ledger`,
    );
  const accounts = await db
    .selectFrom('ledger_accounts')
    .select(['id', 'balance', 'no_negative'])
    .execute();
  for (const a of accounts) {
    const want = sums.get(a.id) ?? 0;
    if (a.balance !== want)
      problems.push(`account ${a.id}: stored balance ${a.balance}, journal says ${want}`);
    if (a.no_negative === 1 && want < 0)
      problems.push(`account ${a.id}: protected but ${want} fen`);
    sums.delete(a.id);
  }
  for (const id of sums.keys()) problems.push(`postings name account ${id}, which does not exist`);
  return { ok: problems.length === 0, entries: count, accounts: accounts.length, problems };
}
