import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { objectParam, principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { presentUvCycle } from './locker.presenter.ts';
import { CommunityParams, CompartmentParams } from './locker.schemas.ts';
import * as s from './uv.schemas.ts';
import * as service from './uv.service.ts';

const tags = ['lockers'];
const security = [{ bearer: [] }];

/** UV disinfection: a community's after-use policy, and a compartment's cycles. Starting a cycle: POST /lockers/:id/disinfect. */
export async function uvRoutes(root: FastifyInstance, { deps }: { deps: AppDeps }): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const community = objectParam('community', 'communityId');

  app.get('/communities/:communityId/uv-policy', {
    config: { access: { roles: STAFF_ROLES, object: community } },
    schema: {
      tags,
      security,
      summary:
        'The UV after-use policy of a community (defaults when none was set: a cycle after every use, 300 s)',
      params: CommunityParams,
      response: { 200: s.UvPolicyView, ...errorResponses },
    },
    handler: async (req) => service.getUvPolicy(deps.db, req.params.communityId),
  });

  app.put('/communities/:communityId/uv-policy', {
    config: { access: { roles: ADMIN_ROLES, object: community } },
    schema: {
      tags,
      security,
      summary:
        'Replace the UV after-use policy of a community; every locker of the community is told (config command), now and on each reconnect',
      params: CommunityParams,
      body: s.UvPolicyInput,
      response: { 200: s.UvPolicyView, ...errorResponses },
    },
    handler: async (req) =>
      service.setUvPolicy(deps, principalOf(req).userId, req.params.communityId, req.body),
  });

  app.get('/lockers/:lockerId/compartments/:number/uv-cycles', {
    config: { access: { roles: STAFF_ROLES, object: objectParam('locker', 'lockerId') } },
    schema: {
      tags,
      security,
      summary: "A compartment's recent UV cycles with their outcome, newest first",
      params: CompartmentParams,
      querystring: s.UvCyclesQuery,
      response: { 200: Type.Array(s.UvCycleView), ...errorResponses },
    },
    handler: async (req) =>
      (
        await service.compartmentCycles(
          deps,
          req.params.lockerId,
          req.params.number,
          req.query.limit ?? 20,
        )
      ).map(presentUvCycle),
  });
}
