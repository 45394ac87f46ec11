/** The finance views of a hall: balances of its accounts and its journal (filters, CSV). */
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { placePath } from '../places/index.ts';
import * as repo from './ledger.repository.ts';

/** Journal filters. */
export interface JournalFilter {
  kind?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Balances of the hall's and its community's accounts. */
export async function hallBalances(db: Executor, hallId: string) {
  const path = await placePath(db, 'hall', hallId);
  if (!path?.community) throw notFound('That service hall');
  const rows = await repo.accountsOfHall(db, hallId, path.community);
  return rows.map((a) => ({
    accountId: a.id,
    kind: a.kind,
    name: a.name,
    protected: a.no_negative === 1,
    balanceFen: a.balance,
  }));
}

/** A page of the hall's journal with each entry's lines. */
export async function hallJournal(db: Executor, hallId: string, f: JournalFilter) {
  const entries = await repo.hallJournal(db, hallId, f);
  const lines = await repo.postingsOf(
    db,
    entries.map((e) => e.id),
  );
  return entries.map((e) => ({
    entryId: e.id,
    seq: e.seq,
    kind: e.kind,
    at: e.at,
    memo: e.memo,
    ref: e.ref_kind && e.ref_id ? { kind: e.ref_kind, id: e.ref_id } : null,
    hash: e.hash,
    lines: lines
      .filter((l) => l.entry_id === e.id)
      .map((l) => ({ accountId: l.account_id, amountFen: l.amount })),
  }));
}

/** The journal page as CSV, one row per posting. */
export function journalCsv(rows: Awaited<ReturnType<typeof hallJournal>>): string {
  const cell = (v: string | number) => `"${String(v).replaceAll('"', '""')}"`;
  const out = [['seq', 'entry', 'at', 'kind', 'memo', 'account', 'amount_fen', 'hash']];
  for (const e of rows)
    for (const l of e.lines)
      out.push([
        String(e.seq),
        e.entryId,
        e.at,
        e.kind,
        e.memo,
        l.accountId,
        String(l.amountFen),
        e.hash,
      ]);
  return `\uFEFF${out.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
