/** The hall console's hand-out of a confirmed group buy: joins, into the locker, at the counter. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { deliverJoin, handOverJoin, hallJoins } from './groupbuy-delivery.service.ts';
import * as gs from './groupbuy.schemas.ts';

const security = [{ bearer: [] }];
const tags = ['hall'];

/** Routes that hand out a confirmed group buy (hall staff of that hall, and the office). */
export async function groupBuyStaffRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const hall = (req: { params: unknown }) => ({
    kind: 'hall',
    id: (req.params as { hallId: string }).hallId,
  });
  const staff = { access: { roles: ['hall_staff', ...ADMIN_ROLES] as const, object: hall } };

  app.get('/halls/:hallId/group-buys/:groupBuyId/joins', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "A group buy's joins to hand out: unit, quantity, locker or counter (never who)",
      params: gs.HallGroupBuyParams,
      response: { 200: Type.Array(gs.HallJoinView), ...errorResponses },
    },
    handler: async (req) => hallJoins(deps, req.params.hallId, req.params.groupBuyId),
  });

  app.post('/halls/:hallId/group-buys/:groupBuyId/joins/:joinId/deliver', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "Deposit a confirmed join into the locker at the buyer's unit (the parcel flow)",
      params: gs.HallJoinParams,
      body: gs.JoinDeliverInput,
      response: { 200: gs.HallJoinView, ...errorResponses },
    },
    handler: async (req) =>
      deliverJoin(
        deps,
        principalOf(req).userId,
        req.params.hallId,
        req.params.groupBuyId,
        req.params.joinId,
        req.body.size ?? 'M',
      ),
  });

  app.post('/halls/:hallId/group-buys/:groupBuyId/joins/:joinId/hand-over', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Mark a confirmed join handed over at the counter',
      params: gs.HallJoinParams,
      response: { 200: gs.HallJoinView, ...errorResponses },
    },
    handler: async (req) =>
      handOverJoin(deps, req.params.hallId, req.params.groupBuyId, req.params.joinId),
  });
}
