import { type Kysely, sql } from 'kysely';

/**
 * Issue 17: a selected project is paid in instalments (a deposit, then the balance), each
 * with its own two approvals, never more than its budget in all. The proposal keeps what was
 * paid so far beside the budget, moved by a conditional update; filled here from the
 * payments already made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('fund_proposals')
    .addColumn('paid_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    update fund_proposals set paid_fen = coalesce(
      (select sum(s.amount_fen) from fund_spends s
        where s.proposal_id = fund_proposals.id and s.status = 'executed'), 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('fund_proposals').dropColumn('paid_fen').execute();
}
