/** Victim objects of the ledger and the fund (issue 17) for the generated BOLA probe. */
import type { Database } from '../../src/db/database.ts';

/** A partner agreement, a voting round, a pending fund payment and its receipt file in the victim community. */
export async function seedLedgerVictims(
  db: Database,
  v: { communityId: string; hallId: string; userId: string },
): Promise<Record<string, string>> {
  const at = new Date().toISOString();
  const ids = {
    agreementId: '0190f5c2-beef-7000-8000-00000000b001',
    roundId: '0190f5c2-beef-7000-8000-00000000b002',
    proposalId: '0190f5c2-beef-7000-8000-00000000b003',
    spendId: '0190f5c2-beef-7000-8000-00000000b004',
    receiptId: '0190f5c2-beef-7000-8000-00000000b005',
  };
  await db
    .insertInto('partner_agreements')
    .values({
      id: ids.agreementId,
      hall_id: v.hallId,
      community_id: v.communityId,
      user_id: v.userId,
      shares: 10,
      invested_fen: 100_000,
      started_on: '2026-01-01',
      created_by: v.userId,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('fund_rounds')
    .values({
      id: ids.roundId,
      community_id: v.communityId,
      title: '受害方的投票',
      budget_cap_fen: 10_000,
      opens_at: at,
      closes_at: new Date(Date.now() + 86_400_000).toISOString(),
      tallied_at: null,
      ballots: 0,
      min_supports: 0,
      created_by: v.userId,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('fund_proposals')
    .values({
      id: ids.proposalId,
      community_id: v.communityId,
      title: '长椅',
      body: '楼前装长椅',
      budget_fen: 5000,
      proposed_by: v.userId,
      proposer_kind: 'resident',
      status: 'selected',
      round_id: ids.roundId,
      votes: 1,
      supports: 0,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('fund_spends')
    .values({
      id: ids.spendId,
      community_id: v.communityId,
      proposal_id: ids.proposalId,
      amount_fen: 5000,
      payee: '五金店',
      receipt: 'FP-1',
      status: 'pending',
      requested_by: v.userId,
      requested_at: at,
      approved_by: null,
      executed_at: null,
      entry_id: null,
    })
    .execute();
  await db
    .insertInto('fund_receipt_files')
    .values({
      id: ids.receiptId,
      community_id: v.communityId,
      spend_id: ids.spendId,
      content_type: 'application/pdf',
      size: 9,
      sha256: '0'.repeat(64),
      data: Buffer.from('%PDF-1.7\n'),
      uploaded_by: v.userId,
      created_at: at,
    })
    .execute();
  return ids;
}
