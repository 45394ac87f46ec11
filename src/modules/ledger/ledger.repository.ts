/** SQL of the journal: the chain head, accounts and their balance rows, entries and postings. */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AccountSpec } from './accounts.ts';
import type { LedgerEntryTable } from './ledger.table.ts';

/** Lock the chain head for the rest of the transaction and read it (a no-op write takes the row lock on PostgreSQL). */
export async function lockHead(db: Executor): Promise<{ seq: number; hash: string }> {
  await db
    .updateTable('ledger_chain')
    .set({ seq: sql`seq` })
    .where('id', '=', 'head')
    .execute();
  return db
    .selectFrom('ledger_chain')
    .select(['seq', 'hash'])
    .where('id', '=', 'head')
    .executeTakeFirstOrThrow();
}

/** Move the chain head to the newest entry. */
export async function advanceHead(db: Executor, seq: number, hash: string): Promise<void> {
  await db.updateTable('ledger_chain').set({ seq, hash }).where('id', '=', 'head').execute();
}

/** The chain head as stored. */
export async function readHead(db: Executor): Promise<{ seq: number; hash: string }> {
  return db
    .selectFrom('ledger_chain')
    .select(['seq', 'hash'])
    .where('id', '=', 'head')
    .executeTakeFirstOrThrow();
}

/** One entry by its transfer id. */
export async function findEntry(db: Executor, id: string) {
  return db.selectFrom('ledger_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Entries about one object (e.g. a hall order), oldest first. */
export async function entriesFor(db: Executor, refKind: string, refId: string) {
  return db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('ref_kind', '=', refKind)
    .where('ref_id', '=', refId)
    .orderBy('seq')
    .execute();
}

/** The postings of some entries, in line order. */
export async function postingsOf(db: Executor, entryIds: readonly string[]) {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('ledger_postings')
    .selectAll()
    .where('entry_id', 'in', entryIds)
    .orderBy('entry_id')
    .orderBy('line')
    .execute();
}

/** Create the accounts that do not exist yet (the caller holds the chain head lock). */
export async function ensureAccounts(
  db: Executor,
  specs: readonly AccountSpec[],
  at: string,
): Promise<void> {
  const ids = [...new Set(specs.map((s) => s.id))];
  const have = new Set(
    (await db.selectFrom('ledger_accounts').select('id').where('id', 'in', ids).execute()).map(
      (r) => r.id,
    ),
  );
  const seen = new Set<string>();
  for (const s of specs) {
    if (have.has(s.id) || seen.has(s.id)) continue;
    seen.add(s.id);
    await db
      .insertInto('ledger_accounts')
      .values({
        id: s.id,
        kind: s.kind,
        community_id: s.communityId,
        hall_id: s.hallId,
        owner_id: s.ownerId,
        name: s.name,
        no_negative: s.noNegative ? 1 : 0,
        balance: 0,
        created_at: at,
      })
      .execute();
  }
}

/**
 * Add delta to an account's balance unless it is protected and would go below zero.
 * False when refused: the check and the write are one statement, so two transfers cannot
 * both pass it.
 */
export async function applyDelta(db: Executor, accountId: string, delta: number): Promise<boolean> {
  const r = await db
    .updateTable('ledger_accounts')
    .set({ balance: sql`balance + ${delta}` })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('no_negative', '=', 0), eb(sql`balance + ${delta}`, '>=', 0)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Write an entry and its postings. */
export async function insertEntry(
  db: Executor,
  entry: LedgerEntryTable,
  lines: readonly (readonly [string, number])[],
): Promise<void> {
  await db.insertInto('ledger_entries').values(entry).execute();
  await db
    .insertInto('ledger_postings')
    .values(
      lines.map(([account_id, amount], line) => ({ entry_id: entry.id, line, account_id, amount })),
    )
    .execute();
}

/** Accounts by id. */
export async function accountsById(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('ledger_accounts').selectAll().where('id', 'in', ids).execute();
}

/** Accounts of a hall and of its community, by kind. */
export async function accountsOfHall(db: Executor, hallId: string, communityId: string) {
  return db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('hall_id', '=', hallId),
        eb.and([eb('community_id', '=', communityId), eb('hall_id', 'is', null)]),
      ]),
    )
    .orderBy('kind')
    .execute();
}

/** A hall's journal, newest first, with optional filters. */
export async function hallJournal(
  db: Executor,
  hallId: string,
  f: { kind?: string; from?: string; to?: string; limit: number; offset: number },
) {
  let q = db.selectFrom('ledger_entries').selectAll().where('hall_id', '=', hallId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return q.orderBy('seq', 'desc').limit(f.limit).offset(f.offset).execute();
}
