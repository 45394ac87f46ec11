/**
 * The fund's routes: the public page (no login), residents' proposals and ballots (only
 * in a community where they live), and the community office's rounds, tallies and
 * two-person spending.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as s from './fund.schemas.ts';
import {
  myHouseholds,
  openRound,
  propose,
  residentUnits,
  roundView,
  support,
  tally,
  vote,
} from './fund.service.ts';
import { spendsOf } from './fund.repository.ts';
import { publicFund } from './public.service.ts';
import { approveSpend, requestSpend } from './spend.service.ts';

const tags = ['fund'];
const security = [{ bearer: [] }];
const community = (req: { params: unknown }) => ({
  kind: 'community',
  id: (req.params as { communityId: string }).communityId,
});
const proposalView = (p: {
  id: string;
  title: string;
  budget_fen: number;
  status: string;
  supports: number;
  created_at: string;
}) => ({
  proposalId: p.id,
  title: p.title,
  budgetFen: p.budget_fen,
  status: p.status as 'open',
  supports: p.supports,
  createdAt: p.created_at,
});
const spendView = (x: {
  id: string;
  proposal_id: string;
  amount_fen: number;
  payee: string;
  receipt: string;
  status: 'pending' | 'executed';
  requested_at: string;
  executed_at: string | null;
  entry_id: string | null;
}) => ({
  spendId: x.id,
  proposalId: x.proposal_id,
  amountFen: x.amount_fen,
  payee: x.payee,
  receipt: x.receipt,
  status: x.status,
  requestedAt: x.requested_at,
  executedAt: x.executed_at,
  entryId: x.entry_id,
});

/** Register the fund routes. */
export async function fundRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const office = { roles: ADMIN_ROLES, object: community };

  app.get('/public/communities/:communityId/fund', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary:
        "A community's development fund in the open: balance, income, every movement, projects, votes",
      params: s.CommunityParams,
      response: { 200: s.PublicFundView, 404: errorResponses[404] },
    },
    handler: async (req) => publicFund(deps.db, req.params.communityId),
  });

  app.post('/communities/:communityId/fund/proposals', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary: 'Propose a public-welfare project (residents of the community)',
      params: s.CommunityParams,
      body: s.ProposalInput,
      response: { 201: s.ProposalView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      residentUnits(p.grants, req.params.communityId);
      reply.code(201);
      return proposalView(
        await propose(deps, req.params.communityId, req.body, p.userId, 'resident'),
      );
    },
  });

  app.get('/me/communities/:communityId/fund-households', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary:
        'My households in this community: the proposals each supports and the rounds each voted in',
      params: s.CommunityParams,
      response: { 200: s.HouseholdActsView, ...errorResponses },
    },
    handler: async (req) => myHouseholds(deps, principalOf(req).grants, req.params.communityId),
  });

  app.post('/fund/proposals/:proposalId/support', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary:
        'Support an open proposal for my household (once per household; a round may need a minimum of supports)',
      params: s.ProposalParams,
      body: s.SupportInput,
      response: { 201: s.SupportView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const r = await support(deps, p.grants, req.params.proposalId, req.body, p.userId);
      reply.code(201);
      return r;
    },
  });

  app.post('/communities/:communityId/fund/office-proposals', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'Propose a project on behalf of the community office',
      params: s.CommunityParams,
      body: s.ProposalInput,
      response: { 201: s.ProposalView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return proposalView(
        await propose(deps, req.params.communityId, req.body, principalOf(req).userId, 'office'),
      );
    },
  });

  app.post('/communities/:communityId/fund/rounds', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'Open a voting round over the open proposals (budget cap, voting window)',
      params: s.CommunityParams,
      body: s.RoundInput,
      response: { 201: s.RoundView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const r = await openRound(deps, req.params.communityId, req.body, principalOf(req).userId);
      reply.code(201);
      return roundView(deps.db, r.id);
    },
  });

  app.post('/fund/rounds/:roundId/ballot', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary: "Cast my household's ballot (one per household and round; projects within the cap)",
      params: s.RoundParams,
      body: s.BallotInput,
      response: { 201: s.BallotView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const b = await vote(deps, p.grants, req.params.roundId, req.body, p.userId);
      reply.code(201);
      return b;
    },
  });

  app.post('/communities/:communityId/fund/rounds/:roundId/tally', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'Count a closed round and publish the selected projects',
      params: s.CommunityRoundParams,
      response: { 200: s.RoundView, ...errorResponses },
    },
    handler: async (req) => tally(deps, req.params.communityId, req.params.roundId),
  });

  app.get('/communities/:communityId/fund/spends', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: "The fund's payment requests, newest first",
      params: s.CommunityParams,
      response: { 200: Type.Array(s.SpendView), ...errorResponses },
    },
    handler: async (req) => (await spendsOf(deps.db, req.params.communityId)).map(spendView),
  });

  app.post('/communities/:communityId/fund/spends', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'Request a payment for a selected project (first approval)',
      params: s.CommunityParams,
      body: s.SpendInput,
      response: { 201: s.SpendView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return spendView(
        await requestSpend(deps, req.params.communityId, req.body, principalOf(req).userId),
      );
    },
  });

  app.post('/communities/:communityId/fund/spends/:spendId/approve', {
    config: { access: office },
    schema: {
      tags,
      security,
      summary: 'Approve a payment (second approval, another person) and pay it from the fund',
      params: s.SpendParams,
      response: { 200: s.SpendView, ...errorResponses },
    },
    handler: async (req) =>
      spendView(
        await approveSpend(
          deps,
          req.params.communityId,
          req.params.spendId,
          principalOf(req).userId,
        ),
      ),
  });
}
