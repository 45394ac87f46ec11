/**
 * Binding a home (issue 12): my homes and requests, invitations a resident of the unit
 * makes, joining by invitation, requests to the community and the community's queue.
 * Everyone signed in may ask or join (a family member has no role yet); only a resident
 * of the unit may invite; only a manager whose places cover the unit may decide.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Id, Name, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { HomesView, RequestView, Status, UnitView } from './household.schemas.ts';
import * as invites from './household-invite.service.ts';
import * as requests from './household-request.service.ts';
import * as service from './household.service.ts';

const UnitSearch = Obj({
  q: Type.String({
    minLength: 1,
    maxLength: 60,
    description: 'compound, building and unit, e.g. 清淳家园 1栋1单元 (spaces ignored)',
  }),
});
const InviteInput = Obj({ unitId: Id });
const InviteView = Obj({
  code: Type.String({ description: 'shown once; single use' }),
  expiresAt: Timestamp,
  unit: Type.String(),
});
const JoinInput = Obj({
  code: Type.String({ pattern: '^\\s*\\d{8}\\s*$', description: 'the 8-digit invitation code' }),
});
const RequestInput = Obj({
  unitId: Id,
  relation: Name,
  note: Type.Optional(Type.String({ maxLength: 200 })),
});
const RequestParams = Obj({ requestId: Id });
const QueueQuery = Obj({
  status: Type.Optional(Status),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
const Decision = Obj({
  approve: Type.Boolean(),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Register the home-binding routes. */
export async function householdRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['homes'];
  const security = [{ bearer: [] }];
  const anyone = { roles: 'any' as const };

  app.get('/me/homes', {
    config: { access: anyone },
    schema: {
      tags,
      security,
      summary: 'The homes I am bound to, and my binding requests',
      response: { 200: HomesView, ...errorResponses },
    },
    handler: async (req) => service.myHomes(deps, principalOf(req).userId),
  });

  app.get('/me/homes/units', {
    config: { access: anyone },
    schema: {
      tags,
      security,
      summary:
        'Find a unit by its name as written on the building (to ask the community to bind it)',
      querystring: UnitSearch,
      response: { 200: Type.Array(UnitView), ...errorResponses },
    },
    handler: async (req) => service.findUnits(deps, req.query.q),
  });

  app.post('/me/homes/invites', {
    config: {
      access: {
        roles: ['resident'],
        object: (req) => ({ kind: 'unit', id: (req.body as { unitId: string }).unitId }),
      },
    },
    schema: {
      tags,
      security,
      summary: 'Invite a family member to my home: a single-use 8-digit code, valid 72 hours',
      body: InviteInput,
      response: { 201: InviteView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await invites.createInvite(deps, principalOf(req).userId, req.body.unitId)),
  });

  app.post('/me/homes/join', {
    config: { access: anyone },
    schema: {
      tags,
      security,
      summary: 'Join a home with an invitation code from a resident of it',
      body: JoinInput,
      response: { 200: UnitView, ...errorResponses },
    },
    handler: async (req) =>
      invites.joinByInvite(deps, principalOf(req).userId, req.body.code.trim()),
  });

  app.post('/me/homes/requests', {
    config: { access: anyone },
    schema: {
      tags,
      security,
      summary: 'Ask the community office to bind me to a unit (a community worker approves)',
      body: RequestInput,
      response: { 201: RequestView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await requests.requestBinding(deps, principalOf(req).userId, req.body)),
  });

  app.delete('/me/homes/requests/:requestId', {
    config: { access: anyone },
    schema: {
      tags,
      security,
      summary: 'Withdraw my pending binding request',
      params: RequestParams,
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await requests.cancelRequest(deps, principalOf(req).userId, req.params.requestId);
      return reply.status(204).send(null);
    },
  });

  app.get('/household-requests', {
    config: { access: { roles: ADMIN_ROLES } },
    schema: {
      tags,
      security,
      summary: 'Binding requests in the places I manage (default: pending, oldest first)',
      querystring: QueueQuery,
      response: { 200: Type.Array(RequestView), ...errorResponses },
    },
    handler: async (req) =>
      requests.listRequests(
        deps,
        req.allowed,
        req.query.status ?? 'pending',
        req.query.limit ?? 100,
      ),
  });

  app.post('/household-requests/:requestId/decision', {
    config: {
      access: {
        roles: ADMIN_ROLES,
        object: (req) => ({
          kind: 'household_request',
          id: (req.params as { requestId: string }).requestId,
        }),
      },
    },
    schema: {
      tags,
      security,
      summary: 'Approve (the asker becomes a resident of the unit) or reject with a reason',
      params: RequestParams,
      body: Decision,
      response: { 200: RequestView, ...errorResponses },
    },
    handler: async (req) =>
      requests.decide(deps, principalOf(req).userId, req.params.requestId, req.body),
  });
}
