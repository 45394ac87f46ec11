/** Routing rules per community, the rates, the place picker, and Open311 client keys. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { covers, principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { findGrid, placePath, searchUnits } from '../places/index.ts';
import * as catalogue from './catalogue.repository.ts';
import * as c from './catalogue.schemas.ts';
import { CommunityParams } from './need.schemas.ts';
import { placesOf } from './need.query.service.ts';
import * as clients from './open311/client.repository.ts';
import { issueKey, presentClient, revokeKey } from './open311/client.service.ts';
import { needRates } from './rates.service.ts';
import * as routing from './routing.repository.ts';

const security = [{ bearer: [] }];
const tags = ['needs'];
const community = (req: FastifyRequest) => ({
  kind: 'community',
  id: (req.params as { communityId: string }).communityId,
});
const keyAdmins = { roles: ['subdistrict_officer', 'operator_admin'] as const };

/** Admin and reporting routes of the needs module. */
export async function needAdminRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const presentRule = (r: routing.RouteRow) => ({
    id: r.id,
    serviceCode: r.service_code,
    gridId: r.grid_id,
    party: r.party,
    assigneeId: r.assignee_id,
    createdAt: r.created_at,
  });

  app.get('/communities/:communityId/need-routes', {
    config: { access: { roles: ADMIN_ROLES, object: community } },
    schema: {
      tags,
      security,
      summary: "A community's routing rules",
      params: CommunityParams,
      response: { 200: c.RouteList, ...errorResponses },
    },
    handler: async (req) => ({
      rules: (await routing.routesOf(deps.db, req.params.communityId)).map(presentRule),
    }),
  });

  app.post('/communities/:communityId/need-routes', {
    config: { access: { roles: ADMIN_ROLES, object: community } },
    schema: {
      tags,
      security,
      summary: 'Add a routing rule (by request type and/or grid)',
      params: CommunityParams,
      body: c.RouteInput,
      response: { 201: c.RouteRule, ...errorResponses },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const cid = req.params.communityId;
      if (!b.serviceCode && !b.gridId)
        throw new AppError('bad_request', 'A rule names a request type, a grid, or both.');
      if (b.serviceCode && !(await catalogue.findService(deps.db, b.serviceCode)))
        throw notFound(`Request type "${b.serviceCode}"`);
      if (b.gridId && (await findGrid(deps.db, b.gridId))?.community_id !== cid)
        throw notFound('That grid');
      const row: routing.RouteRow = {
        id: newId(deps.clock, deps.random),
        community_id: cid,
        service_code: b.serviceCode ?? null,
        grid_id: b.gridId ?? null,
        party: b.party,
        assignee_id: b.assigneeId ?? null,
        created_by: principalOf(req).userId,
        created_at: iso(deps.clock.now()),
      };
      await routing.insertRoute(deps.db, row);
      reply.code(201);
      return presentRule(row);
    },
  });

  app.delete('/communities/:communityId/need-routes/:ruleId', {
    config: { access: { roles: ADMIN_ROLES, object: community } },
    schema: {
      tags,
      security,
      summary: 'Remove a routing rule',
      params: c.RouteParams,
      response: { 204: { type: 'null' }, ...errorResponses },
    },
    handler: async (req, reply) => {
      if (!(await routing.deleteRoute(deps.db, req.params.communityId, req.params.ruleId)))
        throw notFound('That rule');
      return reply.code(204).send(null);
    },
  });

  app.get('/needs/rates', {
    config: { access: { roles: STAFF_ROLES } },
    schema: {
      tags,
      security,
      summary:
        'Response, resolution and satisfaction rates over a period, per community, grid or assignee',
      querystring: c.RatesQuery,
      response: { 200: c.RatesView, ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const places = await placesOf(deps.db, req.allowed);
      let ids: string[] | null = places ? [...places.communities] : null;
      if (q.communityId) {
        const p = await placePath(deps.db, 'community', q.communityId);
        if (
          !p ||
          !req.allowed.some((g) => g.scopeKind !== 'grid' && g.scopeKind !== 'hall' && covers(g, p))
        )
          throw notFound('That community');
        ids = [q.communityId];
      }
      const from = new Date(q.from).toISOString();
      const to = new Date(q.to).toISOString();
      if (from >= to) throw new AppError('bad_request', '"from" must be before "to".');
      const rows = await needRates(deps.db, {
        communityIds: ids,
        from,
        to,
        by: q.by ?? 'community',
        now: deps.clock.now(),
      });
      return { from, to, by: q.by ?? 'community', rows };
    },
  });

  app.get('/needs/units', {
    config: { access: { roles: ['resident', ...STAFF_ROLES] } },
    schema: {
      tags,
      security,
      summary: 'Place picker: units in your communities whose name contains q',
      querystring: c.UnitQuery,
      response: { 200: c.UnitChoices, ...errorResponses },
    },
    handler: async (req) => {
      const mine = new Set(req.allowed.map((g) => g.communityId).filter(Boolean));
      const wide = req.allowed.some(
        (g) => g.scopeKind === 'platform' || g.scopeKind === 'subdistrict',
      );
      const units = (await searchUnits(deps.db, req.query.q, 200)).filter(
        (u) => wide || mine.has(u.communityId),
      );
      return { units: units.slice(0, 30) };
    },
  });

  app.get('/open311-clients', {
    config: { access: keyAdmins },
    schema: {
      tags,
      security,
      summary: 'Open311 API clients',
      response: { 200: c.ClientList, ...errorResponses },
    },
    handler: async () => ({ clients: (await clients.listClients(deps.db)).map(presentClient) }),
  });

  app.post('/open311-clients', {
    config: { access: keyAdmins },
    schema: {
      tags,
      security,
      summary: 'Issue an Open311 API key to a client (shown once)',
      body: c.ClientInput,
      response: { 201: c.ClientCreated, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return issueKey(deps, req.body, principalOf(req).userId);
    },
  });

  app.delete('/open311-clients/:clientId', {
    config: { access: keyAdmins },
    schema: {
      tags,
      security,
      summary: "Revoke a client's key",
      params: c.ClientParams,
      response: { 204: { type: 'null' }, ...errorResponses },
    },
    handler: async (req, reply) => {
      if (!(await revokeKey(deps, req.params.clientId, principalOf(req).userId)))
        throw notFound('That live client');
      return reply.code(204).send(null);
    },
  });
}
