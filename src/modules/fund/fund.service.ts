/**
 * Deciding the fund's spending in the open (Decidim/CONSUL-style participatory budget):
 * residents of a community propose projects; the community office opens a round with a
 * budget cap and a voting window; each household (unit) casts one ballot choosing
 * projects whose budgets fit under the cap; at the tally the projects are taken by votes
 * (ties to the earlier proposal) while they fit in what is left of the cap. Results are
 * published with the counts.
 */
import type { Database, Executor } from '../../db/database.ts';
import type { Grant } from '../../platform/auth/access.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import * as repo from './fund.repository.ts';

type Deps = Pick<AppDeps, 'clock' | 'random'> & { db: Database };

/** The caller's resident grants in a community; 404 when none (the community is not theirs). */
export function residentUnits(grants: readonly Grant[], communityId: string): string[] {
  const units = grants
    .filter((g) => g.role === 'resident' && g.communityId === communityId)
    .map((g) => g.scopeId);
  if (units.length === 0) throw notFound('That community');
  return units;
}

/** A new proposal by a resident (or by the office). */
export async function propose(
  deps: Deps,
  communityId: string,
  input: { title: string; description: string; budgetFen: number },
  userId: string,
  kind: 'resident' | 'office',
) {
  const row = {
    id: newId(deps.clock, deps.random),
    community_id: communityId,
    title: input.title.trim(),
    body: input.description.trim(),
    budget_fen: input.budgetFen,
    proposed_by: userId,
    proposer_kind: kind,
    status: 'open' as const,
    round_id: null,
    votes: 0,
    supports: 0,
    created_at: iso(deps.clock.now()),
  };
  await repo.insertProposal(deps.db, row);
  return row;
}

/** Open a round: every open proposal of the community enters it. */
export async function openRound(
  deps: Deps,
  communityId: string,
  input: {
    title: string;
    budgetCapFen: number;
    opensAt: string;
    closesAt: string;
    minSupports?: number;
  },
  userId: string,
) {
  const minSupports = input.minSupports ?? 0;
  const opens = new Date(input.opensAt).toISOString();
  const closes = new Date(input.closesAt).toISOString();
  if (closes <= opens)
    throw new AppError(
      'bad_request',
      '投票截止时间须晚于开始时间。 The round must close after it opens.',
    );
  return deps.db.transaction().execute(async (trx) => {
    const row = {
      id: newId(deps.clock, deps.random),
      community_id: communityId,
      title: input.title.trim(),
      budget_cap_fen: input.budgetCapFen,
      opens_at: opens,
      closes_at: closes,
      tallied_at: null,
      ballots: 0,
      min_supports: minSupports,
      created_by: userId,
      created_at: iso(deps.clock.now()),
    };
    await repo.insertRound(trx, row);
    if ((await repo.enterRound(trx, communityId, row.id, minSupports)) === 0)
      throw new AppError(
        'bad_request',
        minSupports > 0
          ? `没有获得至少 ${minSupports} 户支持的待投票提案：请降低门槛或等居民支持。 No open proposal has ${minSupports} households' support yet.`
          : '没有待投票的提案：请先收集居民提案。 There are no open proposals to vote on yet.',
      );
    return row;
  });
}

/** The household that acts: the unit named, or the caller's only home in the community. */
function actingUnit(units: string[], unitId: string | undefined): string {
  const unit = unitId ?? (units.length === 1 ? units[0]! : null);
  if (!unit || !units.includes(unit))
    throw new AppError(
      'bad_request',
      '您在本社区有多处住房，请选择以哪一户参与。 You have several homes here; choose which household acts.',
    );
  return unit;
}

/** The caller's households in a community: which open proposals each supports and which rounds each voted in (their own acts only). */
export async function myHouseholds(deps: Deps, grants: readonly Grant[], communityId: string) {
  const units = residentUnits(grants, communityId);
  const { supports, ballots } = await repo.householdActs(deps.db, communityId, units);
  return units.map((unitId) => ({
    unitId,
    supported: supports.filter((x) => x.unit_id === unitId).map((x) => x.proposal_id),
    voted: ballots.filter((x) => x.unit_id === unitId).map((x) => x.round_id),
  }));
}

/** A household supports an open proposal before a round (once per household and proposal). */
export async function support(
  deps: Deps,
  grants: readonly Grant[],
  proposalId: string,
  input: { unitId?: string },
  userId: string,
) {
  const p = await repo.findProposal(deps.db, proposalId);
  if (!p) throw notFound('That proposal');
  const unitId = actingUnit(residentUnits(grants, p.community_id), input.unitId);
  if (p.status !== 'open')
    throw new AppError(
      'conflict',
      '这个提案已进入投票或已有结果，不能再支持；请在投票中选择它。 This proposal is past the support stage.',
    );
  await deps.db.transaction().execute(async (trx) => {
    const r = await repo.insertSupport(trx, {
      proposal_id: p.id,
      unit_id: unitId,
      user_id: userId,
      created_at: iso(deps.clock.now()),
    });
    if (r === 'duplicate')
      throw new AppError(
        'conflict',
        '这一户已经支持过这个提案，每户只能支持一次。 This household already supports this proposal.',
      );
    if (r === 'closed')
      throw new AppError(
        'conflict',
        '这个提案刚刚进入投票，不能再支持；请在投票中选择它。 This proposal just entered a round.',
      );
  });
  const after = await repo.findProposal(deps.db, p.id);
  return { proposalId: p.id, unitId, supports: after?.supports ?? p.supports + 1 };
}

/** Cast the household's ballot (one per unit and round, also under concurrent requests). */
export async function vote(
  deps: Deps,
  grants: readonly Grant[],
  roundId: string,
  input: { proposalIds: string[]; unitId?: string },
  userId: string,
) {
  const round = await repo.findRound(deps.db, roundId);
  if (!round) throw notFound('That voting round');
  const unitId = actingUnit(residentUnits(grants, round.community_id), input.unitId);
  const now = iso(deps.clock.now());
  if (now < round.opens_at || now >= round.closes_at || round.tallied_at)
    throw new AppError(
      'conflict',
      `投票时间为 ${round.opens_at} 至 ${round.closes_at}，现在不能投票。 Voting is open from ${round.opens_at} to ${round.closes_at} only.`,
    );
  const ids = [...new Set(input.proposalIds)];
  const proposals = (await repo.proposalsOf(deps.db, round.community_id)).filter(
    (p) => p.round_id === roundId,
  );
  const chosen = proposals.filter((p) => ids.includes(p.id));
  if (chosen.length !== ids.length || ids.length === 0)
    throw new AppError(
      'bad_request',
      '请从本轮的提案中选择至少一项。 Choose at least one of this round’s proposals.',
    );
  const total = chosen.reduce((s, p) => s + p.budget_fen, 0);
  if (total > round.budget_cap_fen)
    throw new AppError(
      'bad_request',
      `所选项目预算合计 ${total / 100} 元，超过本轮上限 ${round.budget_cap_fen / 100} 元。 The chosen projects cost more than the round's cap.`,
    );
  const ok = await deps.db.transaction().execute((trx) =>
    repo.insertBallot(
      trx,
      {
        id: newId(deps.clock, deps.random),
        round_id: roundId,
        unit_id: unitId,
        user_id: userId,
        created_at: now,
      },
      ids,
    ),
  );
  if (!ok)
    throw new AppError(
      'conflict',
      '这一户已经在本轮投过票，每户只能投一次。 This household has already voted in this round.',
    );
  return { roundId, unitId, proposalIds: ids };
}

/** Count a closed round and publish which projects won (once). */
export async function tally(deps: Deps, communityId: string, roundId: string) {
  return deps.db.transaction().execute(async (trx) => {
    const round = await repo.findRound(trx, roundId);
    if (!round || round.community_id !== communityId) throw notFound('That voting round');
    if (iso(deps.clock.now()) < round.closes_at)
      throw new AppError('conflict', '投票尚未截止，截止后才能计票。 Voting is still open.');
    const { per, ballots } = await repo.countVotes(trx, roundId);
    if (!(await repo.markTallied(trx, roundId, iso(deps.clock.now()), ballots)))
      throw new AppError('conflict', '本轮已经计过票。 This round was already counted.');
    const entered = (await repo.proposalsOf(trx, communityId))
      .filter((p) => p.round_id === roundId)
      .map((p) => ({ ...p, votes: per.get(p.id) ?? 0 }))
      .sort(
        (a, b) =>
          b.votes - a.votes || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
      );
    let left = round.budget_cap_fen;
    for (const p of entered) {
      const wins = p.votes > 0 && p.budget_fen <= left;
      if (wins) left -= p.budget_fen;
      await repo.setProposal(trx, p.id, {
        status: wins ? 'selected' : 'not_selected',
        votes: p.votes,
      });
    }
    return roundView(trx, roundId);
  });
}

/** A round with its proposals and counts (published). */
export async function roundView(db: Executor, roundId: string) {
  const r = await repo.findRound(db, roundId);
  if (!r) throw notFound('That voting round');
  const proposals = (await repo.proposalsOf(db, r.community_id)).filter((p) => p.round_id === r.id);
  return {
    roundId: r.id,
    title: r.title,
    budgetCapFen: r.budget_cap_fen,
    minSupports: r.min_supports,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    talliedAt: r.tallied_at,
    ballots: r.ballots,
    proposals: proposals.map((p) => ({
      proposalId: p.id,
      title: p.title,
      budgetFen: p.budget_fen,
      status: p.status,
      supports: p.supports,
      votes: r.tallied_at ? p.votes : null,
    })),
  };
}
