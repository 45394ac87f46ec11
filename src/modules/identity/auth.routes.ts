import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import {
  loginWithPassword,
  logout,
  refreshSession,
  requestOtp,
  verifyOtp,
} from './auth.service.ts';
import type { LiveSessions } from './session.runtime.ts';
import {
  OtpRequest,
  OtpRequested,
  OtpVerify,
  PasswordLogin,
  RefreshRequest,
  SessionView,
} from './identity.schemas.ts';

/** Sign-in routes: SMS code for residents, password for staff, refresh and sign-out. */
export async function authRoutes(
  root: FastifyInstance,
  { deps, sessions }: { deps: AppDeps; sessions: LiveSessions },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];

  app.post('/auth/otp', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'Send a sign-in code by SMS',
      body: OtpRequest,
      response: { 202: OtpRequested, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(202).send(await requestOtp(deps, { phone: req.body.phone, ip: req.ip })),
  });

  app.post('/auth/otp/verify', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'Sign in with the SMS code (creates the account on first use)',
      body: OtpVerify,
      response: { 200: SessionView, ...errorResponses },
    },
    handler: async (req) => verifyOtp(deps, req.body),
  });

  app.post('/auth/login', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'Staff sign-in with username and password',
      body: PasswordLogin,
      response: { 200: SessionView, ...errorResponses },
    },
    handler: async (req) => loginWithPassword(deps, { ...req.body, ip: req.ip }),
  });

  app.post('/auth/refresh', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'Exchange a refresh token for a new session (rotation)',
      body: RefreshRequest,
      response: { 200: SessionView, ...errorResponses },
    },
    handler: async (req) => refreshSession(deps, req.body.refreshToken),
  });

  app.post('/auth/logout', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      summary: 'End this session',
      security: [{ bearer: [] }],
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const sid = principalOf(req).sessionId;
      await logout(deps, sid);
      // This node refuses the token at once; other nodes within SESSION_CHECK_TTL_MS.
      sessions.forget(sid);
      return reply.status(204).send(null);
    },
  });
}
