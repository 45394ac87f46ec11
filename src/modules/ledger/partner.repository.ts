/** SQL of partner agreements, period closes, hall employees and the per-account journal. */
import type { Executor } from '../../db/database.ts';
import { displayNames } from '../identity/index.ts';
import { hallNames } from '../places/index.ts';
import type { HallEmployeeTable, PartnerAgreementTable, PeriodCloseTable } from './ledger.table.ts';

/** Agreements of a hall, oldest first, with the partner's display name. */
export async function agreementsOfHall(db: Executor, hallId: string) {
  return named(
    db,
    await db
      .selectFrom('partner_agreements')
      .selectAll()
      .where('hall_id', '=', hallId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  );
}

/** A user's agreements, with the hall's name and the partner's display name. */
export async function agreementsOfUser(db: Executor, userId: string) {
  return withHallNames(
    db,
    await named(
      db,
      await db
        .selectFrom('partner_agreements')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute(),
    ),
  );
}

/** One agreement with its hall's name and the partner's display name. */
export async function findAgreement(db: Executor, id: string) {
  const a = await db
    .selectFrom('partner_agreements')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return a ? (await withHallNames(db, await named(db, [a])))[0] : undefined;
}

// The names come from identity and places (a module's SQL touches only its own tables); an
// agreement whose user or hall is missing is left out, as the inner joins these replace did.
async function named<T extends { user_id: string }>(db: Executor, rows: T[]) {
  const names = await displayNames(
    db,
    rows.map((a) => a.user_id),
  );
  return rows.flatMap((a) => {
    const display_name = names.get(a.user_id);
    return display_name === undefined ? [] : [{ ...a, display_name }];
  });
}

async function withHallNames<T extends { hall_id: string }>(db: Executor, rows: T[]) {
  const names = await hallNames(
    db,
    rows.map((a) => a.hall_id),
  );
  return rows.flatMap((a) => {
    const hall_name = names.get(a.hall_id);
    return hall_name === undefined ? [] : [{ ...a, hall_name }];
  });
}

/** Record an agreement. */
export async function insertAgreement(db: Executor, row: PartnerAgreementTable): Promise<void> {
  await db.insertInto('partner_agreements').values(row).execute();
}

/** A hall's close of one period. */
export async function findClose(db: Executor, hallId: string, period: string) {
  return db
    .selectFrom('ledger_period_closes')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('period', '=', period)
    .executeTakeFirst();
}

/** A hall's latest close, if any. */
export async function latestClose(db: Executor, hallId: string) {
  return db
    .selectFrom('ledger_period_closes')
    .select(['period', 'closed_at'])
    .where('hall_id', '=', hallId)
    .orderBy('period', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A hall's closes, newest first. */
export async function closesOf(db: Executor, hallId: string) {
  return db
    .selectFrom('ledger_period_closes')
    .selectAll()
    .where('hall_id', '=', hallId)
    .orderBy('period', 'desc')
    .execute();
}

/** Record a close. */
export async function insertClose(db: Executor, row: PeriodCloseTable): Promise<void> {
  await db.insertInto('ledger_period_closes').values(row).execute();
}

/** The net of an account's postings in entries of other kinds than `except`, with `at` in [from, to). */
export async function netOf(
  db: Executor,
  accountId: string,
  from: string,
  to: string,
  except: string,
): Promise<number> {
  const r = await db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('p.amount'), eb.lit(0)).as('net'))
    .where('p.account_id', '=', accountId)
    .where('e.at', '>=', from)
    .where('e.at', '<', to)
    .where('e.kind', '!=', except)
    .executeTakeFirstOrThrow();
  return Number(r.net);
}

/** An account's postings with their entries, oldest first. */
export async function accountLines(db: Executor, accountId: string, limit = 1000) {
  return db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .select(['e.id', 'e.seq', 'e.kind', 'e.at', 'e.memo', 'e.ref_kind', 'e.ref_id', 'p.amount'])
    .where('p.account_id', '=', accountId)
    .orderBy('e.seq')
    .limit(limit)
    .execute();
}

/** A hall's employees. */
export async function employeesOf(db: Executor, hallId: string) {
  return db
    .selectFrom('hall_employees')
    .selectAll()
    .where('hall_id', '=', hallId)
    .orderBy('created_at')
    .execute();
}

/** Record an employee. */
export async function insertEmployee(db: Executor, row: HallEmployeeTable): Promise<void> {
  await db.insertInto('hall_employees').values(row).execute();
}
