import type { Kysely } from 'kysely';
import { timestampType } from '../dialect.ts';

/**
 * The community development fund in the open (issue 17): residents' proposals, voting
 * rounds with a budget cap and one ballot per household (unit), and spending that two
 * people of the community office approve before the ledger moves the money.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = timestampType(db);
  await db.schema
    .createTable('fund_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('budget_fen', 'bigint', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('proposer_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('round_id', 'text')
    .addColumn('votes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fund_proposals_community_idx')
    .on('fund_proposals')
    .columns(['community_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('fund_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('budget_cap_fen', 'bigint', (c) => c.notNull())
    .addColumn('opens_at', ts, (c) => c.notNull())
    .addColumn('closes_at', ts, (c) => c.notNull())
    .addColumn('tallied_at', ts)
    .addColumn('ballots', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('fund_ballots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('fund_rounds.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('fund_ballots_one_per_household', ['round_id', 'unit_id'])
    .execute();
  await db.schema
    .createTable('fund_ballot_choices')
    .addColumn('ballot_id', 'text', (c) => c.notNull().references('fund_ballots.id'))
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('fund_proposals.id'))
    .addPrimaryKeyConstraint('fund_ballot_choices_pk', ['ballot_id', 'proposal_id'])
    .execute();

  await db.schema
    .createTable('fund_spends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('fund_proposals.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('payee', 'text', (c) => c.notNull())
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', ts, (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('executed_at', ts)
    .addColumn('entry_id', 'text')
    .execute();
  await db.schema
    .createIndex('fund_spends_community_idx')
    .on('fund_spends')
    .columns(['community_id', 'requested_at'])
    .execute();
}
