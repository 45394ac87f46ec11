/** Read-only views of one account for other modules (the fund's public page). */
import type { Executor } from '../../db/database.ts';

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
  return db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .leftJoin('halls as h', 'h.id', 'e.hall_id')
    .select([
      'e.id as entryId',
      'e.at',
      'e.kind',
      'e.memo',
      'e.ref_kind as refKind',
      'e.ref_id as refId',
      'h.name as hallName',
      'p.amount as amountFen',
    ])
    .where('p.account_id', '=', accountId)
    .orderBy('e.seq', 'desc')
    .limit(limit)
    .execute();
}
