import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_ROLES } from '../../../platform/auth/roles.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import * as s from './lifecircle.schemas.ts';
import { lifeCircle, planNext } from './lifecircle.service.ts';

const tags = ['analytics'];
const security = [{ bearer: [] }];

/** The community office and the subdistrict (and operator admins) read the life circle of their places. */
const office = (kind: 'community' | 'subdistrict', param: string) => ({
  roles: ADMIN_ROLES,
  object: (req: { params: unknown }) => ({
    kind,
    id: (req.params as Record<string, string>)[param] ?? '',
  }),
});

/** The places a life circle is read for, with their routes' path, id parameter and summaries. */
const SCOPES = [
  {
    kind: 'community',
    path: '/analytics/lifecircle/communities/:communityId',
    param: 'communityId',
    params: s.CommunityParams,
    circle: "A community's life circle: every building's walk to its nearest hall and locker",
    plan: 'Where the next N halls or lockers should go to cover the most households (greedy)',
  },
  {
    kind: 'subdistrict',
    path: '/analytics/lifecircle/subdistricts/:subdistrictId',
    param: 'subdistrictId',
    params: s.SubdistrictParams,
    circle: "A subdistrict's life circle, per community and in total",
    plan: 'The coverage planner over a whole subdistrict',
  },
] as const;

/** The scope a request names. */
const scopeOf = (sc: (typeof SCOPES)[number], req: { params: unknown }) => ({
  kind: sc.kind,
  id: (req.params as Record<string, string>)[sc.param] ?? '',
});

/** The 5-minute life circle: walks, shares, the map and the coverage planner. */
export async function lifeCircleRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  // Each scope's life circle, then each scope's planner (the order the API document lists them).
  for (const sc of SCOPES)
    app.get(sc.path, {
      config: { access: office(sc.kind, sc.param) },
      schema: {
        tags,
        security,
        summary: sc.circle,
        params: sc.params,
        querystring: s.WalkQuery,
        response: { 200: s.LifeCircleView, ...errorResponses },
      },
      handler: async (req) => lifeCircle(deps, scopeOf(sc, req), req.query),
    });
  for (const sc of SCOPES)
    app.get(`${sc.path}/plan`, {
      config: { access: office(sc.kind, sc.param) },
      schema: {
        tags,
        security,
        summary: sc.plan,
        params: sc.params,
        querystring: s.PlanQuery,
        response: { 200: s.PlanView, ...errorResponses },
      },
      handler: async (req) => planNext(deps, scopeOf(sc, req), req.query),
    });
}
