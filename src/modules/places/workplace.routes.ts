/** The staff console's starting points: my workplaces (named) and the places of my area in a community. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { areaOf } from './area.scope.ts';
import { byParam, security, tags } from './route-helpers.ts';
import { CommunityParams } from './places.schemas.ts';
import { AreaView, WorkplacesView } from './workplace.schemas.ts';
import { areaPlaces, workplacesOf } from './workplace.service.ts';

/** Routes of the staff console's start: named grants and communities, and the area's compounds and buildings. */
export async function workplaceRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/me/workplaces', {
    config: { access: { roles: [...STAFF_ROLES, 'partner'] } },
    schema: {
      tags,
      summary: 'My staff and partner roles with their places named, and the communities I may pick',
      security,
      response: { 200: WorkplacesView, ...errorResponses },
    },
    handler: async (req) => workplacesOf(deps.db, req.allowed),
  });

  app.get('/communities/:communityId/area', {
    config: { access: { roles: STAFF_ROLES, object: byParam('community_area', 'communityId') } },
    schema: {
      tags,
      summary:
        'Compounds and buildings of my area in a community (my grid or hall for grid workers and hall staff), for filters',
      security,
      params: CommunityParams,
      response: { 200: AreaView, ...errorResponses },
    },
    handler: async (req) =>
      areaPlaces(
        deps.db,
        req.params.communityId,
        await areaOf(deps.db, req.allowed, req.params.communityId),
      ),
  });
}
