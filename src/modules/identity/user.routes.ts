import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import {
  CreateUser,
  GrantInput,
  GrantParams,
  GrantView,
  PhoneLookup,
  UpdateUser,
  UserListQuery,
  UserParams,
  UserView,
} from './identity.schemas.ts';
import type { LiveSessions } from './session.runtime.ts';
import * as grants from './grant.service.ts';
import * as service from './user.service.ts';

/** The caller's own account, and staff management of users and their roles. */
export async function userRoutes(
  root: FastifyInstance,
  { deps, sessions }: { deps: AppDeps; sessions: LiveSessions },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];
  const security = [{ bearer: [] }];
  const admins = { roles: ADMIN_ROLES };
  const aUser = {
    roles: ADMIN_ROLES,
    object: (req: { params: unknown }) => ({
      kind: 'user',
      id: (req.params as { userId: string }).userId,
    }),
  };

  app.get('/me', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      summary: 'My account, with my phone in full and my roles',
      security,
      response: { 200: UserView, ...errorResponses },
    },
    handler: async (req) => {
      const me = principalOf(req).userId;
      return service.getUser(deps, [], me, me);
    },
  });

  app.get('/users', {
    config: { access: admins },
    schema: {
      tags,
      summary: 'Users with a role in the places I manage',
      security,
      querystring: UserListQuery,
      response: { 200: Type.Array(UserView), ...errorResponses },
    },
    handler: async (req) =>
      service.listUsers(deps, req.allowed, {
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
        ...(req.query.role ? { role: req.query.role } : {}),
      }),
  });

  app.post('/users', {
    config: { access: admins },
    schema: {
      tags,
      summary: 'Create an account with its first role (inside my places)',
      security,
      body: CreateUser,
      response: { 201: UserView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await service.createUser(deps, principalOf(req).userId, req.allowed, req.body)),
  });

  app.post('/users/lookup', {
    config: { access: admins },
    schema: {
      tags,
      summary: 'Find an account by phone (the phone is sent in the body, never in a URL)',
      security,
      body: PhoneLookup,
      response: { 200: UserView, ...errorResponses },
    },
    handler: async (req) => {
      // Counted before the look-up, found or not: a miss tells as much about a phone as a hit.
      const me = principalOf(req).userId;
      await hitLimits(deps.db, deps.clock, [
        limit('userLookupsPerCallerHour', me),
        limit('userLookupsPerCallerDay', me),
      ]);
      return service.lookupByPhone(deps, req.allowed, req.body.phone);
    },
  });

  app.get('/users/:userId', {
    config: { access: aUser },
    schema: {
      tags,
      summary:
        'One user with all their roles (phone masked); only for someone whose places and rank cover every role the user holds',
      security,
      params: UserParams,
      response: { 200: UserView, ...errorResponses },
    },
    handler: async (req) =>
      service.getUser(deps, req.allowed, req.params.userId, principalOf(req).userId),
  });

  app.patch('/users/:userId', {
    config: { access: aUser },
    schema: {
      tags,
      summary: 'Rename, disable or enable a user',
      security,
      params: UserParams,
      body: UpdateUser,
      response: { 200: UserView, ...errorResponses },
    },
    handler: async (req) => {
      const user = await service.updateUser(
        deps,
        principalOf(req).userId,
        req.allowed,
        req.params.userId,
        req.body,
      );
      // Disabling revoked the user's sessions: this node stops trusting them at once (others within the cache window).
      if (req.body.status === 'disabled') sessions.forgetUser(user.id);
      return user;
    },
  });

  app.post('/users/:userId/grants', {
    config: { access: { roles: ADMIN_ROLES } },
    schema: {
      tags,
      summary: 'Give a role below my own, on a place I manage, to a user I manage',
      security,
      params: UserParams,
      body: GrantInput,
      response: { 201: GrantView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await grants.addGrant(
            deps,
            principalOf(req).userId,
            req.allowed,
            req.params.userId,
            req.body,
          ),
        ),
  });

  app.delete('/users/:userId/grants/:grantId', {
    config: { access: aUser },
    schema: {
      tags,
      summary: 'Remove a role',
      security,
      params: GrantParams,
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await grants.removeGrant(
        deps,
        principalOf(req).userId,
        req.allowed,
        req.params.userId,
        req.params.grantId,
      );
      return reply.status(204).send(null);
    },
  });
}
