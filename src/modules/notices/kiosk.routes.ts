/** The hall kiosk's routes (ADR 0023): sign-in with the SMS code, the hall's board, my contacts and my social security. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Obj } from '../../platform/http/schemas.ts';
import * as kiosk from './kiosk.service.ts';
import * as s from './kiosk.schemas.ts';
import { LocalSocialSecurity } from './social-security.local.ts';
import type { SocialSecurityProvider } from './social-security.port.ts';

const tags = ['kiosk'];
/** These routes are about the caller only: any query parameter (a person id, a phone) is refused. */
const NoQuery = Obj({});
const security = [{ bearer: [] }];

/** Register the kiosk routes; `socialSecurity` replaces the local provider (a real one, or a test's). */
export async function kioskRoutes(
  root: FastifyInstance,
  opts: { deps: AppDeps; socialSecurity?: SocialSecurityProvider },
): Promise<void> {
  const { deps } = opts;
  const provider = opts.socialSecurity ?? new LocalSocialSecurity(deps.db);
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/kiosk/sessions', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: `Sign in at a hall kiosk with the SMS code (POST /auth/otp first); the session ends itself after ${kiosk.KIOSK_SESSION_SECONDS} s`,
      body: s.KioskSignIn,
      response: { 201: s.KioskSession, ...errorResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await kiosk.kioskSignIn(deps, req.body)),
  });

  app.delete('/kiosk/sessions/current', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'End my kiosk session now (退出, or the screen went idle)',
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await kiosk.endMyKioskSession(deps, principalOf(req).sessionId);
      return reply.status(204).send(null);
    },
  });

  app.get('/kiosk/halls', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'Every service hall (name and address): a kiosk is set to one of them once',
      response: { 200: Type.Array(s.HallCard), ...errorResponses },
    },
    handler: async () => kiosk.allHalls(deps),
  });

  app.get('/kiosk/halls/:hallId', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary:
        "A hall's public board: name, hours, and the notices and activities posted for its place",
      params: s.HallParams,
      response: { 200: s.KioskBoard, ...errorResponses },
    },
    handler: async (req) => kiosk.hallBoard(deps, req.params.hallId),
  });

  app.get('/me/contacts', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary:
        'My grid worker and community police for each of my units (names and published lines)',
      querystring: NoQuery,
      response: { 200: s.ContactsView, ...errorResponses },
    },
    handler: async (req) => kiosk.myContacts(deps, req.allowed),
  });

  app.get('/me/social-security', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary:
        'My own social-security statement (it takes no person id: only the signed-in resident)',
      querystring: NoQuery,
      response: { 200: s.SocialSecurityView, ...errorResponses },
    },
    handler: async (req) => kiosk.mySocialSecurity(deps, provider, principalOf(req).userId),
  });
}
