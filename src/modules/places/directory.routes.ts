import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { createCarrier, listCarriers } from './carrier.service.ts';
import { residentDirectory } from './directory.service.ts';
import { security, tags } from './route-helpers.ts';
import * as s from './places.schemas.ts';

/** The resident's directory tab, and the carriers everyone may list. */
export async function directoryRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/me/directory', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      summary:
        'For each of my units: grid service line, community police, halls and the lockers at my door',
      security,
      response: { 200: s.DirectoryView, ...errorResponses },
    },
    handler: async (req) => residentDirectory(deps, req.allowed),
  });

  app.get('/carriers', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      summary: 'Carriers and takeout platforms',
      security,
      response: { 200: Type.Array(s.CarrierView), ...errorResponses },
    },
    handler: async () => listCarriers(deps),
  });

  app.post('/carriers', {
    config: { access: { roles: ['operator_admin'] } },
    schema: {
      tags,
      summary: 'Add a carrier or takeout platform (platform operator admin)',
      security,
      body: s.CreateCarrier,
      response: { 201: s.CarrierView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await createCarrier(
            deps,
            { userId: principalOf(req).userId, grants: req.allowed },
            req.body,
          ),
        ),
  });
}
