import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as s from './location.schemas.ts';
import { setPlaceLocation } from './location.service.ts';
import { managers, security, tags } from './route-helpers.ts';
import * as ps from './places.schemas.ts';
import type { Actor } from './places.service.ts';

const actorOf = (req: FastifyRequest): Actor => ({
  userId: principalOf(req).userId,
  grants: req.allowed,
});

/** The places that carry coordinates: their path, id parameter, kind and what the summary calls them. */
const LOCATED = [
  {
    path: 'compounds',
    param: 'compoundId',
    kind: 'compound',
    params: ps.CompoundParams,
    what: 'a compound',
  },
  {
    path: 'buildings',
    param: 'buildingId',
    kind: 'building',
    params: ps.BuildingParams,
    what: 'a building',
  },
  { path: 'halls', param: 'hallId', kind: 'hall', params: ps.HallParams, what: 'a service hall' },
  {
    path: 'locker-sites',
    param: 'siteId',
    kind: 'locker_site',
    params: s.LockerSiteParams,
    what: 'a locker site (its lockers)',
  },
] as const;

/** Where compounds, buildings, halls and locker sites stand (managers of their scope set it). */
export async function locationRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const response = { 200: s.LocationView, ...errorResponses };
  const summary = (what: string) => `Set where ${what} stands (WGS-84 degrees)`;

  for (const p of LOCATED)
    app.put(`/${p.path}/:${p.param}/location`, {
      config: { access: managers(p.kind, p.param) },
      schema: {
        tags,
        security,
        summary: summary(p.what),
        params: p.params,
        body: s.SetLocation,
        response,
      },
      handler: async (req) =>
        setPlaceLocation(
          deps,
          actorOf(req),
          p.kind,
          (req.params as Record<string, string>)[p.param]!,
          req.body,
        ),
    });
}
