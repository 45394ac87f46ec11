/**
 * The demo's money side (issue 17), so `npm start` shows it working: each hall gives 5 % of
 * its revenue to the community fund and 3 % (at most ¥50 a sale) to the community for the
 * venue, the operator keeps the rest; the partner 钱阿姨 (qsh.partner, who also signs in to
 * the resident app with 13800000007) holds 20 of the 清淳家园 hall's 100 shares, half of a
 * month's profit paid out; residents proposed two fund projects and supported one.
 * Rules go in before the hall's demo sales post, so those sales already feed the fund.
 */
import type { Trx } from '../db/database.ts';
import { iso, newId } from '../platform/clock.ts';
import type { AppDeps } from '../platform/deps.ts';
import { createAgreement } from '../modules/ledger/partner.service.ts';
import { replaceRules, upsertTerms } from '../modules/ledger/rules.repository.ts';
import * as fund from '../modules/fund/fund.repository.ts';

/** Distribution rules and partner terms for every hall (before any sale posts). */
export async function seedDemoFinanceRules(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
): Promise<void> {
  const at = iso(deps.clock.now());
  const halls = await trx.selectFrom('halls').select('id').execute();
  for (const h of halls) {
    const rule = (
      position: number,
      recipient: 'community_fund' | 'community_venue',
      bp: number,
      max: number | null,
    ) => ({
      id: newId(deps.clock, deps.random),
      hall_id: h.id,
      position,
      recipient,
      applies_to: 'all' as const,
      percent_bp: bp,
      min_fen: 0,
      max_fen: max,
      updated_by: 'demo',
      updated_at: at,
    });
    await replaceRules(trx, h.id, [
      rule(0, 'community_fund', 500, null),
      rule(1, 'community_venue', 300, 5000),
    ]);
    await upsertTerms(trx, { hall_id: h.id, total_shares: 100, payout_bp: 5000, updated_at: at });
  }
}

/** The partner's agreement and residents' fund proposals (after users and halls exist). */
export async function seedDemoPartnersAndFund(
  trx: Trx,
  deps: Pick<AppDeps, 'clock' | 'random'>,
): Promise<void> {
  const at = iso(deps.clock.now());
  const partners = await trx
    .selectFrom('role_grants')
    .select(['user_id', 'scope_id', 'community_id'])
    .where('role', '=', 'partner')
    .where('scope_kind', '=', 'hall')
    .execute();
  for (const p of partners)
    await createAgreement(
      trx,
      deps,
      p.scope_id,
      { userId: p.user_id, shares: 20, investedFen: 2_000_000, startedOn: '2026-01-01' },
      p.user_id,
    );
  // In a fixed order (building, unit, phone): grants made in one millisecond would otherwise
  // sort by their ids' random part, and which households support what would vary per run.
  const residents = await trx
    .selectFrom('role_grants as g')
    .innerJoin('units as u', 'u.id', 'g.scope_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('users as p', 'p.id', 'g.user_id')
    .select(['g.user_id', 'g.scope_id', 'g.community_id'])
    .where('g.role', '=', 'resident')
    .orderBy('b.name')
    .orderBy('u.name')
    .orderBy('p.phone_hash')
    .execute();
  // Proposals in the partner's community (清水河), by its first resident.
  const community = partners[0]?.community_id;
  const neighbours = residents.filter((r) => r.community_id === community);
  const first = neighbours[0];
  if (!community || !first) return;
  const ideas = [
    ['楼前休息长椅', '在 1 栋和 12 栋楼前各装两张长椅，方便老人歇脚。', 600_000],
    ['楼道感应灯更换', '更换 33 栋楼道里坏掉的感应灯，晚上回家不摸黑。', 350_000],
  ] as const;
  for (const [n, [title, body, budget]] of ideas.entries()) {
    const id = newId(deps.clock, deps.random);
    // Three households support the benches, one the lights.
    const backers = n === 0 ? neighbours.slice(0, 3) : neighbours.slice(1, 2);
    await fund.insertProposal(trx, {
      id,
      community_id: community,
      title,
      body,
      budget_fen: budget,
      proposed_by: first.user_id,
      proposer_kind: 'resident',
      status: 'open',
      round_id: null,
      votes: 0,
      supports: 0,
      created_at: at,
    });
    for (const b of backers)
      await fund.insertSupport(trx, {
        proposal_id: id,
        unit_id: b.scope_id,
        user_id: b.user_id,
        created_at: at,
      });
  }
}
