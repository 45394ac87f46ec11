import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Paging } from '../../platform/http/schemas.ts';
import { managers, pageOf, readers, security, staffAnd, tags } from './route-helpers.ts';
import * as s from './places.schemas.ts';
import * as service from './places.service.ts';
import * as buildingService from './building.service.ts';

const actorOf = (req: FastifyRequest): service.Actor => ({
  userId: principalOf(req).userId,
  grants: req.allowed,
});

/** The places hierarchy: subdistricts, communities, compounds, grids, buildings and units. */
export async function hierarchyRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/subdistricts', {
    config: { access: { roles: STAFF_ROLES } },
    schema: {
      tags,
      summary: 'Subdistricts my roles cover',
      security,
      response: { 200: Type.Array(s.SubdistrictView), ...errorResponses },
    },
    handler: async (req) => service.listSubdistricts(deps, req.allowed),
  });

  app.post('/subdistricts', {
    config: { access: { roles: ['operator_admin'] } },
    schema: {
      tags,
      summary: 'Add a subdistrict (platform operator admin)',
      security,
      body: s.CreateSubdistrict,
      response: { 201: s.SubdistrictView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await service.createSubdistrict(deps, actorOf(req), req.body)),
  });

  app.get('/subdistricts/:subdistrictId', {
    config: { access: readers('subdistrict', 'subdistrictId') },
    schema: {
      tags,
      summary: 'One subdistrict',
      security,
      params: s.SubdistrictParams,
      response: { 200: s.SubdistrictView, ...errorResponses },
    },
    handler: async (req) => service.getSubdistrict(deps, req.params.subdistrictId),
  });

  app.get('/subdistricts/:subdistrictId/communities', {
    config: { access: readers('subdistrict', 'subdistrictId') },
    schema: {
      tags,
      summary: 'The communities of a subdistrict',
      security,
      params: s.SubdistrictParams,
      response: { 200: Type.Array(s.CommunityView), ...errorResponses },
    },
    handler: async (req) => service.listCommunities(deps, req.params.subdistrictId),
  });

  app.post('/subdistricts/:subdistrictId/communities', {
    config: { access: managers('subdistrict', 'subdistrictId') },
    schema: {
      tags,
      summary: 'Add a community',
      security,
      params: s.SubdistrictParams,
      body: s.CreateCommunity,
      response: { 201: s.CommunityView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await service.createCommunity(deps, actorOf(req), req.params.subdistrictId, req.body),
        ),
  });

  app.get('/communities/:communityId', {
    config: { access: readers('community', 'communityId') },
    schema: {
      tags,
      summary: 'A community with counts of its places',
      security,
      params: s.CommunityParams,
      response: { 200: s.CommunityDetail, ...errorResponses },
    },
    handler: async (req) => service.getCommunity(deps, req.params.communityId),
  });

  app.get('/communities/:communityId/compounds', {
    config: { access: readers('community', 'communityId') },
    schema: {
      tags,
      summary: 'The compounds (小区) of a community',
      security,
      params: s.CommunityParams,
      response: { 200: Type.Array(s.CompoundView), ...errorResponses },
    },
    handler: async (req) => service.listCompounds(deps, req.params.communityId),
  });

  app.post('/communities/:communityId/compounds', {
    config: { access: managers('community', 'communityId') },
    schema: {
      tags,
      summary: 'Add a compound',
      security,
      params: s.CommunityParams,
      body: s.CreateCompound,
      response: { 201: s.CompoundView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await service.createCompound(deps, actorOf(req), req.params.communityId, req.body)),
  });

  app.get('/communities/:communityId/grids', {
    config: { access: readers('community', 'communityId') },
    schema: {
      tags,
      summary: 'The grids (网格) of a community',
      security,
      params: s.CommunityParams,
      response: { 200: Type.Array(s.GridView), ...errorResponses },
    },
    handler: async (req) => service.listGrids(deps, req.params.communityId),
  });

  app.post('/communities/:communityId/grids', {
    config: { access: managers('community', 'communityId') },
    schema: {
      tags,
      summary: 'Add a grid',
      security,
      params: s.CommunityParams,
      body: s.CreateGrid,
      response: { 201: s.GridView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await service.createGrid(deps, actorOf(req), req.params.communityId, req.body)),
  });

  app.get('/compounds/:compoundId/buildings', {
    config: { access: readers('compound', 'compoundId') },
    schema: {
      tags,
      summary: 'The buildings of a compound (paged)',
      security,
      params: s.CompoundParams,
      querystring: Paging,
      response: { 200: Type.Array(s.BuildingView), ...errorResponses },
    },
    handler: async (req) =>
      buildingService.listBuildings(deps, req.params.compoundId, pageOf(req.query)),
  });

  app.post('/compounds/:compoundId/buildings', {
    config: { access: managers('compound', 'compoundId') },
    schema: {
      tags,
      summary: 'Add a building (optionally in a grid of the same community)',
      security,
      params: s.CompoundParams,
      body: s.CreateBuilding,
      response: { 201: s.BuildingView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await buildingService.createBuilding(deps, actorOf(req), req.params.compoundId, req.body),
        ),
  });

  app.patch('/buildings/:buildingId', {
    config: { access: managers('building', 'buildingId') },
    schema: {
      tags,
      summary: 'Rename a building or assign it to a grid of its community',
      security,
      params: s.BuildingParams,
      body: s.UpdateBuilding,
      response: { 200: s.BuildingView, ...errorResponses },
    },
    handler: async (req) =>
      buildingService.updateBuilding(deps, actorOf(req), req.params.buildingId, req.body),
  });

  app.get('/buildings/:buildingId/units', {
    config: { access: readers('building', 'buildingId') },
    schema: {
      tags,
      summary: 'The units (单元) of a building (paged)',
      security,
      params: s.BuildingParams,
      querystring: Paging,
      response: { 200: Type.Array(s.UnitView), ...errorResponses },
    },
    handler: async (req) =>
      buildingService.listUnits(deps, req.params.buildingId, pageOf(req.query)),
  });

  app.post('/buildings/:buildingId/units', {
    config: { access: managers('building', 'buildingId') },
    schema: {
      tags,
      summary: 'Add a unit',
      security,
      params: s.BuildingParams,
      body: s.CreateUnit,
      response: { 201: s.UnitView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await buildingService.createUnit(deps, actorOf(req), req.params.buildingId, req.body),
        ),
  });

  app.get('/units/:unitId', {
    config: { access: staffAnd(['resident'], 'unit', 'unitId') },
    schema: {
      tags,
      summary: 'One unit (residents: only their own)',
      security,
      params: s.UnitParams,
      response: { 200: s.UnitDetail, ...errorResponses },
    },
    handler: async (req) => buildingService.getUnit(deps, req.params.unitId),
  });
}
