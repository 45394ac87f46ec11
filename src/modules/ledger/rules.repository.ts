/** SQL of a hall's distribution rules and terms. */
import type { Executor } from '../../db/database.ts';
import type { DistributionRuleTable, HallTermsTable } from './ledger.table.ts';

/** A hall's rules in order. */
export async function rulesOf(db: Executor, hallId: string) {
  return db
    .selectFrom('ledger_distribution_rules')
    .selectAll()
    .where('hall_id', '=', hallId)
    .orderBy('position')
    .execute();
}

/** Replace a hall's rules. */
export async function replaceRules(
  db: Executor,
  hallId: string,
  rows: readonly DistributionRuleTable[],
): Promise<void> {
  await db.deleteFrom('ledger_distribution_rules').where('hall_id', '=', hallId).execute();
  if (rows.length)
    await db
      .insertInto('ledger_distribution_rules')
      .values([...rows])
      .execute();
}

/** A hall's terms, if set. */
export async function termsOf(db: Executor, hallId: string) {
  return db
    .selectFrom('ledger_hall_terms')
    .selectAll()
    .where('hall_id', '=', hallId)
    .executeTakeFirst();
}

/** Set a hall's terms. */
export async function upsertTerms(db: Executor, row: HallTermsTable): Promise<void> {
  await db
    .insertInto('ledger_hall_terms')
    .values(row)
    .onConflict((oc) =>
      oc.column('hall_id').doUpdateSet({
        total_shares: row.total_shares,
        payout_bp: row.payout_bp,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Shares held by a hall's partners in total. */
export async function sharesHeld(db: Executor, hallId: string): Promise<number> {
  const r = await db
    .selectFrom('partner_agreements')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('shares'), eb.lit(0)).as('n'))
    .where('hall_id', '=', hallId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
