import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Paging } from '../../platform/http/schemas.ts';
import * as service from './amenities.service.ts';
import { managers, pageOf, readers, security, staffAnd, tags } from './route-helpers.ts';
import * as s from './places.schemas.ts';
import type { Actor } from './places.service.ts';

const actorOf = (req: FastifyRequest): Actor => ({
  userId: principalOf(req).userId,
  grants: req.allowed,
});

/** Service halls, locker sites and police contacts of a community. */
export async function amenitiesRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/communities/:communityId/halls', {
    config: { access: readers('community', 'communityId') },
    schema: {
      tags,
      summary: 'The service halls of a community',
      security,
      params: s.CommunityParams,
      response: { 200: Type.Array(s.HallView), ...errorResponses },
    },
    handler: async (req) => service.listHalls(deps, req.params.communityId),
  });

  app.post('/communities/:communityId/halls', {
    config: { access: managers('community', 'communityId') },
    schema: {
      tags,
      summary: 'Open a service hall',
      security,
      params: s.CommunityParams,
      body: s.CreateHall,
      response: { 201: s.HallView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await service.createHall(deps, actorOf(req), req.params.communityId, req.body)),
  });

  app.get('/halls/:hallId', {
    config: { access: staffAnd(['partner'], 'hall', 'hallId') },
    schema: {
      tags,
      summary: 'One service hall',
      security,
      params: s.HallParams,
      response: { 200: s.HallView, ...errorResponses },
    },
    handler: async (req) => service.getHall(deps, req.params.hallId),
  });

  app.get('/communities/:communityId/police-contacts', {
    config: { access: readers('community', 'communityId') },
    schema: {
      tags,
      summary: 'The published police contacts of a community',
      security,
      params: s.CommunityParams,
      response: { 200: Type.Array(s.PoliceContactView), ...errorResponses },
    },
    handler: async (req) => service.listPoliceContacts(deps, req.params.communityId),
  });

  app.post('/communities/:communityId/police-contacts', {
    config: { access: managers('community', 'communityId') },
    schema: {
      tags,
      summary: 'Publish a police contact (社区民警)',
      security,
      params: s.CommunityParams,
      body: s.CreatePoliceContact,
      response: { 201: s.PoliceContactView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await service.createPoliceContact(deps, actorOf(req), req.params.communityId, req.body),
        ),
  });

  app.get('/communities/:communityId/locker-sites', {
    config: { access: readers('community', 'communityId') },
    schema: {
      tags,
      summary: 'The locker sites of a community (paged)',
      security,
      params: s.CommunityParams,
      querystring: Paging,
      response: { 200: Type.Array(s.LockerSiteView), ...errorResponses },
    },
    handler: async (req) =>
      service.listLockerSites(deps, req.params.communityId, pageOf(req.query)),
  });

  app.post('/buildings/:buildingId/locker-sites', {
    config: { access: managers('building', 'buildingId') },
    schema: {
      tags,
      summary: 'Add a locker site at a unit door (unitId) or for the whole building',
      security,
      params: s.BuildingParams,
      body: s.CreateLockerSite,
      response: { 201: s.LockerSiteView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await service.createLockerSite(deps, actorOf(req), req.params.buildingId, req.body)),
  });
}
