/**
 * The fund's public page (no login; also on the hall kiosk): balance, income by source,
 * every movement, the projects with budget, payments, receipts and status, and the
 * rounds with their counts. Nothing here names a person or a household.
 */
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { accountBalance, accountMovements, accounts } from '../ledger/index.ts';
import { findCommunity } from '../places/index.ts';
import * as repo from './fund.repository.ts';
import { roundView } from './fund.service.ts';
import { receiptsOf } from './receipt.repository.ts';
import { presentReceipt } from './receipt.service.ts';

const SOURCE: Record<string, string> = {
  sale: '服务大厅营业收入分成',
  refund: '订单退款冲回',
  fund_spend: '公益项目支出',
  donation: '捐赠',
};

/** Everything the public page shows for one community. */
export async function publicFund(db: Executor, communityId: string) {
  const name = (await findCommunity(db, communityId))?.name;
  if (!name) throw notFound('That community');
  const account = accounts.communityFund(communityId).id;
  const moves = await accountMovements(db, account);
  const income = new Map<string, number>();
  for (const m of moves) {
    if (m.kind === 'fund_spend') continue;
    const key = m.hallName
      ? `${SOURCE[m.kind] ?? m.kind} · ${m.hallName}`
      : (SOURCE[m.kind] ?? m.kind);
    income.set(key, (income.get(key) ?? 0) + m.amountFen);
  }
  const spends = await repo.spendsOf(db, communityId);
  const proposals = await repo.proposalsOf(db, communityId);
  const rounds = await repo.roundsOf(db, communityId);
  const files = await receiptsOf(db, communityId);
  return {
    communityId,
    communityName: name,
    balanceFen: await accountBalance(db, account),
    income: [...income.entries()].map(([source, amountFen]) => ({ source, amountFen })),
    movements: moves.map((m) => ({
      entryId: m.entryId,
      at: m.at,
      kind: m.kind,
      memo: m.memo,
      source: m.hallName,
      proposalId: m.refKind === 'fund_proposal' ? m.refId : null,
      amountFen: m.amountFen,
    })),
    projects: proposals.map((p) => ({
      proposalId: p.id,
      title: p.title,
      body: p.body,
      budgetFen: p.budget_fen,
      proposer: p.proposer_kind,
      status: p.status,
      supports: p.supports,
      // Votes exist once a round is tallied; an open proposal or one in a running round has none yet.
      votes: p.status === 'in_round' || p.status === 'open' ? null : p.votes,
      payments: spends
        .filter((s) => s.proposal_id === p.id)
        .map((s) => ({
          spendId: s.id,
          amountFen: s.amount_fen,
          payee: s.payee,
          receipt: s.receipt,
          status: s.status,
          requestedAt: s.requested_at,
          executedAt: s.executed_at,
          entryId: s.entry_id,
          files: files.filter((f) => f.spend_id === s.id).map(presentReceipt),
        })),
    })),
    rounds: await Promise.all(rounds.slice(0, 5).map((r) => roundView(db, r.id))),
  };
}
