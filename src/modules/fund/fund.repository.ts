/** SQL of the fund's proposals, rounds, ballots and spending. */
import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  FundProposalTable,
  FundRoundTable,
  FundSpendTable,
  ProposalStatus,
} from './fund.table.ts';

/** A community's proposals, newest first. */
export async function proposalsOf(db: Executor, communityId: string) {
  return db
    .selectFrom('fund_proposals')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** One proposal. */
export async function findProposal(db: Executor, id: string) {
  return db.selectFrom('fund_proposals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Record a proposal. */
export async function insertProposal(
  db: Executor,
  row: Insertable<FundProposalTable>,
): Promise<void> {
  await db.insertInto('fund_proposals').values(row).execute();
}

/** Set proposals' status (and round, votes). */
export async function setProposal(
  db: Executor,
  id: string,
  set: { status: ProposalStatus; round_id?: string; votes?: number },
): Promise<void> {
  await db.updateTable('fund_proposals').set(set).where('id', '=', id).execute();
}

/** Pay an instalment of a selected (or already part-paid) project, only while the total stays within its budget. */
export async function payInstalment(db: Executor, id: string, amountFen: number): Promise<boolean> {
  const r = await db
    .updateTable('fund_proposals')
    .set((eb) => ({ status: 'funded', paid_fen: eb('paid_fen', '+', amountFen) }))
    .where('id', '=', id)
    .where('status', 'in', ['selected', 'funded'])
    .where((eb) => eb(eb('paid_fen', '+', amountFen), '<=', eb.ref('budget_fen')))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Put a community's open proposals with at least `minSupports` supports into a round. */
export async function enterRound(
  db: Executor,
  communityId: string,
  roundId: string,
  minSupports: number,
) {
  const r = await db
    .updateTable('fund_proposals')
    .set({ status: 'in_round', round_id: roundId })
    .where('community_id', '=', communityId)
    .where('status', '=', 'open')
    .where('supports', '>=', minSupports)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * A household supports an open proposal: 'duplicate' when the household already did,
 * 'closed' when the proposal is no longer open (the caller rolls back). The count moves in
 * the same transaction as the row.
 */
export async function insertSupport(
  db: Executor,
  row: { proposal_id: string; unit_id: string; user_id: string; created_at: string },
): Promise<'ok' | 'duplicate' | 'closed'> {
  const r = await db
    .insertInto('fund_supports')
    .values(row)
    .onConflict((oc) => oc.columns(['proposal_id', 'unit_id']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return 'duplicate';
  const u = await db
    .updateTable('fund_proposals')
    .set((eb) => ({ supports: eb('supports', '+', 1) }))
    .where('id', '=', row.proposal_id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1 ? 'ok' : 'closed';
}

/** Record a round. */
export async function insertRound(db: Executor, row: FundRoundTable): Promise<void> {
  await db.insertInto('fund_rounds').values(row).execute();
}

/** One round. */
export async function findRound(db: Executor, id: string) {
  return db.selectFrom('fund_rounds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A community's rounds, newest first. */
export async function roundsOf(db: Executor, communityId: string) {
  return db
    .selectFrom('fund_rounds')
    .selectAll()
    .where('community_id', '=', communityId)
    .orderBy('opens_at', 'desc')
    .execute();
}

/** Mark a round tallied, once: false when another tally got there first. */
export async function markTallied(db: Executor, id: string, at: string, ballots: number) {
  const r = await db
    .updateTable('fund_rounds')
    .set({ tallied_at: at, ballots })
    .where('id', '=', id)
    .where('tallied_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Cast a ballot; false when the household already voted in the round. */
export async function insertBallot(
  db: Executor,
  row: { id: string; round_id: string; unit_id: string; user_id: string; created_at: string },
  proposalIds: readonly string[],
): Promise<boolean> {
  const r = await db
    .insertInto('fund_ballots')
    .values(row)
    .onConflict((oc) => oc.columns(['round_id', 'unit_id']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  await db
    .insertInto('fund_ballot_choices')
    .values(proposalIds.map((proposal_id) => ({ ballot_id: row.id, proposal_id })))
    .execute();
  return true;
}

/** The household's ballot in a round, if any. */
export async function ballotOf(db: Executor, roundId: string, unitId: string) {
  return db
    .selectFrom('fund_ballots')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

/** Ballots per proposal in a round, and the number of ballots. */
export async function countVotes(db: Executor, roundId: string) {
  const per = await db
    .selectFrom('fund_ballot_choices as c')
    .innerJoin('fund_ballots as b', 'b.id', 'c.ballot_id')
    .select(['c.proposal_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('b.round_id', '=', roundId)
    .groupBy('c.proposal_id')
    .execute();
  const all = await db
    .selectFrom('fund_ballots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  return { per: new Map(per.map((r) => [r.proposal_id, Number(r.n)])), ballots: Number(all.n) };
}

/** Record a spending request. */
export async function insertSpend(db: Executor, row: FundSpendTable): Promise<void> {
  await db.insertInto('fund_spends').values(row).execute();
}

/** One spending request. */
export async function findSpend(db: Executor, id: string) {
  return db.selectFrom('fund_spends').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Approve and execute a pending request, once: false when it was not pending any more. */
export async function markExecuted(
  db: Executor,
  id: string,
  set: { approved_by: string; executed_at: string; entry_id: string },
) {
  const r = await db
    .updateTable('fund_spends')
    .set({ ...set, status: 'executed' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A community's spending with the proposal titles, newest first. */
export async function spendsOf(db: Executor, communityId: string) {
  return db
    .selectFrom('fund_spends as s')
    .innerJoin('fund_proposals as p', 'p.id', 's.proposal_id')
    .selectAll('s')
    .select('p.title')
    .where('s.community_id', '=', communityId)
    .orderBy('s.requested_at', 'desc')
    .execute();
}

/** What these households did in a community's fund: the proposals each supports and the rounds each voted in. */
export async function householdActs(db: Executor, communityId: string, unitIds: readonly string[]) {
  const supports = await db
    .selectFrom('fund_supports as s')
    .innerJoin('fund_proposals as p', 'p.id', 's.proposal_id')
    .select(['s.unit_id', 's.proposal_id'])
    .where('p.community_id', '=', communityId)
    .where('s.unit_id', 'in', [...unitIds])
    .execute();
  const ballots = await db
    .selectFrom('fund_ballots as b')
    .innerJoin('fund_rounds as r', 'r.id', 'b.round_id')
    .select(['b.unit_id', 'b.round_id'])
    .where('r.community_id', '=', communityId)
    .where('b.unit_id', 'in', [...unitIds])
    .execute();
  return { supports, ballots };
}
