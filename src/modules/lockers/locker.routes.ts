import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { objectParam, principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as alertRepo from './alert.repository.ts';
import * as alertService from './alert.service.ts';
import * as commandRepo from './command.repository.ts';
import * as eventRepo from './event.repository.ts';
import { areaOf, sitesToList } from '../places/index.ts';
import * as lockerRepo from './locker.repository.ts';
import { presentAlertsNamed, presentLockersNamed } from './locker-labels.presenter.ts';
import {
  presentAlert,
  presentCommand,
  presentCompartment,
  presentEvent,
  presentLocker,
} from './locker.presenter.ts';
import * as s from './locker.schemas.ts';
import * as service from './locker.service.ts';
import { uvRoutes } from './uv.routes.ts';

const tags = ['lockers'];
const security = [{ bearer: [] }];
/** Community-wide lists: any staff grant inside the community passes; rows are narrowed to its area (places/area.scope.ts). */
const communityArea = { roles: STAFF_ROLES, object: objectParam('community_area', 'communityId') };

/** Staff APIs on lockers: register, list, live state, remote open, disinfect, commands, events. */
export async function lockerRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // The UV sub-resource (policy, cycles) lives in its own file, under the same prefix.
  await root.register(uvRoutes, { deps });
  const staffOnLocker = { roles: STAFF_ROLES, object: objectParam('locker', 'lockerId') };

  app.post('/locker-sites/:siteId/lockers', {
    config: { access: { roles: ADMIN_ROLES, object: objectParam('locker_site', 'siteId') } },
    schema: {
      tags,
      security,
      summary: 'Register a locker cabinet at a site (then issue its provisioning token)',
      params: s.SiteParams,
      body: s.CreateLocker,
      response: { 201: s.LockerView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          presentLocker(
            await service.createLocker(deps, principalOf(req).userId, req.params.siteId, req.body),
          ),
        ),
  });

  app.get('/communities/:communityId/lockers', {
    config: { access: communityArea },
    schema: {
      tags,
      security,
      summary:
        'Lockers of a community (of my grid or hall for grid workers and hall staff), named by place, with free compartments, open doors and open alerts; filter by compound, building, presence and open alerts',
      params: s.CommunityParams,
      querystring: s.LockerListQuery,
      response: { 200: Type.Array(s.LockerView), ...errorResponses },
    },
    handler: async (req) => {
      const { communityId } = req.params;
      const siteIds = await sitesToList(
        deps.db,
        await areaOf(deps.db, req.allowed, communityId),
        communityId,
        req.query,
      );
      const rows = await lockerRepo.listLockers(deps.db, communityId, {
        siteIds,
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
        ...(req.query.presence ? { presence: req.query.presence } : {}),
        ...(req.query.alerts === 'open' ? { openAlerts: true } : {}),
      });
      return presentLockersNamed(deps.db, rows);
    },
  });

  app.get('/lockers/:lockerId', {
    config: { access: staffOnLocker },
    schema: {
      tags,
      security,
      summary: 'One locker: live compartment state and unresolved alerts',
      params: s.LockerParams,
      response: { 200: s.LockerDetail, ...errorResponses },
    },
    handler: async (req) => {
      const d = await service.getLocker(deps, req.params.lockerId);
      const [locker] = await presentLockersNamed(deps.db, [d.locker]);
      return {
        ...locker!,
        compartments: d.compartments.map((c) =>
          presentCompartment(c, d.lastCycles.get(c.number) ?? null),
        ),
        alerts: await presentAlertsNamed(deps.db, d.alerts),
      };
    },
  });

  app.post('/lockers/:lockerId/compartments/:number/open', {
    config: { access: staffOnLocker },
    schema: {
      tags,
      security,
      summary:
        'Open a compartment remotely (audited; a reason is required; send Idempotency-Key to make retries safe)',
      params: s.CompartmentParams,
      headers: s.IdempotencyHeaders,
      body: s.OpenRequest,
      response: { 202: s.CommandView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const cmd = await service.remoteOpen(
        deps,
        principalOf(req).userId,
        req.params.lockerId,
        req.params.number,
        req.body.reason,
        req.headers['idempotency-key'],
      );
      return reply.status(202).send(presentCommand(cmd));
    },
  });

  app.post('/lockers/:lockerId/disinfect', {
    config: { access: staffOnLocker },
    schema: {
      tags,
      security,
      summary: 'Run a UV disinfection cycle (refused by the device while a door is open)',
      params: s.LockerParams,
      body: s.DisinfectRequest,
      response: { 202: s.CommandView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(
          presentCommand(
            await service.disinfect(
              deps,
              principalOf(req).userId,
              req.params.lockerId,
              req.body.compartment,
              req.body.durationSeconds,
            ),
          ),
        ),
  });

  app.get('/lockers/:lockerId/commands', {
    config: { access: staffOnLocker },
    schema: {
      tags,
      security,
      summary: 'Recent commands sent to this locker and their outcome',
      params: s.LockerParams,
      querystring: s.EventListQuery,
      response: { 200: Type.Array(s.CommandView), ...errorResponses },
    },
    handler: async (req) =>
      (await commandRepo.listCommands(deps.db, req.params.lockerId, req.query.limit ?? 50)).map(
        presentCommand,
      ),
  });

  app.get('/lockers/:lockerId/commands/:commandId', {
    config: { access: staffOnLocker },
    schema: {
      tags,
      security,
      summary: 'One command and its outcome',
      params: s.CommandParams,
      response: { 200: s.CommandView, ...errorResponses },
    },
    handler: async (req) =>
      presentCommand(await service.getCommand(deps, req.params.lockerId, req.params.commandId)),
  });

  app.get('/lockers/:lockerId/events', {
    config: { access: staffOnLocker },
    schema: {
      tags,
      security,
      summary: 'The device event log, in seq order',
      params: s.LockerParams,
      querystring: s.EventListQuery,
      response: { 200: Type.Array(s.EventView), ...errorResponses },
    },
    handler: async (req) =>
      (
        await eventRepo.listEvents(
          deps.db,
          req.params.lockerId,
          req.query.afterSeq ?? 0,
          req.query.limit ?? 100,
        )
      ).map(presentEvent),
  });

  app.get('/communities/:communityId/alerts', {
    config: { access: communityArea },
    schema: {
      tags,
      security,
      summary:
        'Locker alerts of a community (of my grid or hall for grid workers and hall staff), named by place, newest first',
      params: s.CommunityParams,
      querystring: s.AlertListQuery,
      response: { 200: Type.Array(s.AlertView), ...errorResponses },
    },
    handler: async (req) => {
      const { communityId } = req.params;
      const siteIds = await sitesToList(
        deps.db,
        await areaOf(deps.db, req.allowed, communityId),
        communityId,
        req.query,
      );
      const rows = await alertRepo.listAlerts(deps.db, {
        communityId,
        siteIds,
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
        ...(req.query.status ? { status: req.query.status } : {}),
        ...(req.query.lockerId ? { lockerId: req.query.lockerId } : {}),
      });
      return presentAlertsNamed(deps.db, rows);
    },
  });

  app.post('/alerts/:alertId/acknowledge', {
    config: { access: { roles: STAFF_ROLES, object: objectParam('alert', 'alertId') } },
    schema: {
      tags,
      security,
      summary: 'Acknowledge an alert (I am on it)',
      params: s.AlertParams,
      response: { 200: s.AlertView, ...errorResponses },
    },
    handler: async (req) =>
      presentAlert(
        await alertService.acknowledge(deps, req.params.alertId, principalOf(req).userId),
      ),
  });

  app.post('/alerts/:alertId/resolve', {
    config: { access: { roles: STAFF_ROLES, object: objectParam('alert', 'alertId') } },
    schema: {
      tags,
      security,
      summary:
        'Mark an alert resolved (the cause was fixed); a parcel_missing alert answers 409: record where its parcel went instead (POST /alerts/{alertId}/missing-parcels)',
      params: s.AlertParams,
      response: { 200: s.AlertView, ...errorResponses },
    },
    handler: async (req) => presentAlert(await alertService.resolve(deps, req.params.alertId)),
  });
}
