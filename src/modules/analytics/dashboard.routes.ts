/**
 * The dashboards' HTTP API: a scope's charts (subdistrict, community, compound, locker),
 * one chart as JSON or CSV, and the carrier report. Community office staff see their
 * community, subdistrict staff the whole subdistrict; residents, couriers, hall staff and
 * grid workers are refused. Requests read the rollups only.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { Id, Obj } from '../../platform/http/schemas.ts';
import * as s from './dashboard.schemas.ts';
import { chartCsv, dashboard, dashboardChart } from './dashboard.service.ts';

const security = [{ bearer: [] }];
const tags = ['analytics'];
const KIND: Record<s.ScopePath, string> = {
  subdistricts: 'subdistrict',
  communities: 'community',
  compounds: 'compound',
  lockers: 'locker',
};
/** The place a scope's route names, for the access check. */
const placeOf = (scope: s.ScopePath) => (req: FastifyRequest) => ({
  kind: KIND[scope],
  id: (req.params as Record<string, string>)[s.SCOPE_PARAM[scope]]!,
});

/** Dashboard routes. */
export async function analyticsRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  // One pair of routes per scope, each naming its place by kind (`/analytics/communities/:communityId`).
  for (const scope of s.SCOPES) {
    const param = s.SCOPE_PARAM[scope];
    const access = { roles: ADMIN_ROLES, object: placeOf(scope) };
    app.get(`/analytics/${scope}/:${param}`, {
      config: { access },
      schema: {
        tags,
        security,
        summary: `A ${KIND[scope]}'s dashboard: every chart over a window of days (default the last 30)`,
        params: s.scopeParams(scope),
        querystring: s.ChartQuery,
        response: { 200: s.DashboardView, ...errorResponses },
      },
      handler: async (req) =>
        dashboard(
          deps.db,
          deps.clock,
          scope,
          (req.params as Record<string, string>)[param]!,
          req.query,
        ),
    });

    app.get(`/analytics/${scope}/:${param}/charts/:chart`, {
      config: { access },
      schema: {
        tags,
        security,
        summary: `One chart of a ${KIND[scope]} as a table; \`?format=csv\` downloads it`,
        params: s.chartParams(scope),
        querystring: s.ChartQuery,
        response: { 200: Type.Union([s.ChartTable, Type.String()]), ...errorResponses },
      },
      handler: async (req, reply) => {
        const p = req.params as Record<string, string>;
        const id = p[param]!;
        const chart = p['chart'] as s.ChartName;
        const t = await dashboardChart(deps.db, deps.clock, scope, id, chart, req.query);
        if (req.query.format !== 'csv') return t;
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${chart}-${id}.csv"`);
        return chartCsv(t);
      },
    });
  }

  app.get('/analytics/communities/:communityId/carrier-report', {
    config: {
      access: {
        roles: ADMIN_ROLES,
        object: (req: FastifyRequest) => ({
          kind: 'community',
          id: (req.params as { communityId: string }).communityId,
        }),
      },
    },
    schema: {
      tags,
      security,
      summary: 'The carrier and courier report: deposits, pickups and overdue rates per carrier',
      params: Obj({ communityId: Id }),
      querystring: s.ChartQuery,
      response: { 200: Type.Union([s.ChartTable, Type.String()]), ...errorResponses },
    },
    handler: async (req, reply) => {
      const id = req.params.communityId;
      const t = await dashboardChart(deps.db, deps.clock, 'communities', id, 'carriers', req.query);
      if (req.query.format !== 'csv') return t;
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="carriers-${id}.csv"`);
      return chartCsv(t);
    },
  });
}
