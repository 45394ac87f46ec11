/**
 * Spending the fund: only on a project residents selected, in one or more instalments that
 * together stay within its budget, and each only after two people of
 * the community office agree: the one who requests the payment (with the payee and the
 * receipt) and another who approves it. The approval moves the money out of the fund in
 * the ledger (community fund → payments out) with the proposal as its reference; a fund
 * too small for it is a 409 and the request stays pending.
 */
import type { Database } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { accounts, transfer } from '../ledger/index.ts';
import * as repo from './fund.repository.ts';

type Deps = Pick<AppDeps, 'clock' | 'random'> & { db: Database };

/** Request a payment for a selected project (the first approval). */
export async function requestSpend(
  deps: Deps,
  communityId: string,
  input: { proposalId: string; amountFen: number; payee: string; receipt: string },
  userId: string,
) {
  const p = await repo.findProposal(deps.db, input.proposalId);
  if (!p || p.community_id !== communityId) throw notFound('That proposal');
  if (p.status !== 'selected' && p.status !== 'funded')
    throw new AppError(
      'conflict',
      '只有居民投票选中的项目才能从基金支出。 Only a project residents selected can be paid from the fund.',
    );
  // Instalments: each payment within what is left of the budget (approval checks it again).
  const left = p.budget_fen - p.paid_fen;
  if (input.amountFen > left)
    throw new AppError(
      'bad_request',
      `支出不能超过项目剩余预算 ${left / 100} 元（预算 ${p.budget_fen / 100} 元，已支出 ${p.paid_fen / 100} 元）。 The payment exceeds what is left of the project budget.`,
    );
  const row = {
    id: newId(deps.clock, deps.random),
    community_id: communityId,
    proposal_id: p.id,
    amount_fen: input.amountFen,
    payee: input.payee.trim(),
    receipt: input.receipt.trim(),
    status: 'pending' as const,
    requested_by: userId,
    requested_at: iso(deps.clock.now()),
    approved_by: null,
    executed_at: null,
    entry_id: null,
  };
  await repo.insertSpend(deps.db, row);
  return row;
}

/** Approve a request (the second approval, by someone else) and pay it from the fund. */
export async function approveSpend(
  deps: Deps,
  communityId: string,
  spendId: string,
  userId: string,
) {
  return deps.db.transaction().execute(async (trx) => {
    const s = await repo.findSpend(trx, spendId);
    if (!s || s.community_id !== communityId) throw notFound('That payment request');
    if (s.requested_by === userId)
      throw new AppError(
        'forbidden',
        '同一人不能既申请又批准：请由社区另一位工作人员批准。 Another person of the office must approve.',
      );
    if (s.status !== 'pending')
      throw new AppError('conflict', '这笔支出已经执行过。 This payment was already made.');
    // A project is paid in instalments, never above its budget in all: the paid total moves
    // by a conditional update, so concurrent approvals cannot together pass the budget.
    if (!(await repo.payInstalment(trx, s.proposal_id, s.amount_fen)))
      throw new AppError(
        'conflict',
        '批准这笔会超过项目预算（或项目尚未被选中），不能批准。 Approving this payment would exceed the project budget (or the project is not selected).',
      );
    const now = iso(deps.clock.now());
    const entry = await transfer(trx, deps.clock, {
      transferId: `fund-spend:${s.id}`,
      kind: 'fund_spend',
      at: now,
      memo: `基金支出：${s.payee}（凭证 ${s.receipt}）`,
      communityId,
      ref: { kind: 'fund_proposal', id: s.proposal_id },
      postings: [
        { account: accounts.communityFund(communityId), amount: -s.amount_fen },
        { account: accounts.cash(communityId), amount: s.amount_fen },
      ],
    });
    if (
      !(await repo.markExecuted(trx, s.id, {
        approved_by: userId,
        executed_at: now,
        entry_id: entry.id,
      }))
    )
      throw new AppError('conflict', '这笔支出已经执行过。 This payment was already made.');
    return {
      ...s,
      status: 'executed' as const,
      approved_by: userId,
      executed_at: now,
      entry_id: entry.id,
    };
  });
}
