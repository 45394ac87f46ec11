/** Read-only views of one account for other modules (the fund's public page). */
import type { Executor } from '../../db/database.ts';
import { hallNames } from '../places/index.ts';

/** An account's balance in fen (0 when it was never used). */
export async function accountBalance(db: Executor, accountId: string): Promise<number> {
  const r = await db
    .selectFrom('ledger_accounts')
    .select('balance')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return r?.balance ?? 0;
}

/** Every movement of an account, newest first: entry, time, kind, memo, what it refers to, the hall and the amount. */
export async function accountMovements(db: Executor, accountId: string, limit = 500) {
  const rows = await db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .select([
      'e.id as entryId',
      'e.at',
      'e.kind',
      'e.memo',
      'e.ref_kind as refKind',
      'e.ref_id as refId',
      'e.hall_id',
      'p.amount as amountFen',
    ])
    .where('p.account_id', '=', accountId)
    .orderBy('e.seq', 'desc')
    .limit(limit)
    .execute();
  // Hall names come from places (a module's SQL touches only its own tables).
  const halls = await hallNames(
    db,
    rows.flatMap((r) => (r.hall_id ? [r.hall_id] : [])),
  );
  return rows.map(({ hall_id, amountFen, ...r }) => ({
    ...r,
    hallName: hall_id ? (halls.get(hall_id) ?? null) : null,
    amountFen,
  }));
}
