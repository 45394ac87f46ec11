import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CommandView, presentCommand, lockerPlaceNames } from '../../lockers/index.ts';
import { principalOf } from '../../../platform/auth/access.ts';
import { carrierOf } from './actors.ts';
import { STAFF_ROLES } from '../../../platform/auth/roles.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { depositOutcome } from '../deposit/deposit-outcome.ts';
import { signInAtScreen } from '../deposit/screen-deposit.service.ts';
import { presentDeposit, presentEvent, presentForCourier } from './parcel.presenter.ts';
import * as parcels from './parcel.repository.ts';
import * as notificationRepo from './notification.repository.ts';
import * as eventRepo from './parcel-event.repository.ts';
import * as recipientRepo from './recipient.repository.ts';
import * as s from './parcel.schemas.ts';
import * as service from './parcel.service.ts';
import { notFound } from '../../../platform/errors.ts';

const tags = ['parcels'];
const security = [{ bearer: [] }];

/** Couriers deposit; recipients see and open their own parcels; staff see a locker's parcels (masked). */
export async function parcelRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const me = (req: FastifyRequest) => principalOf(req).userId;

  app.post('/lockers/:lockerId/deposits', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: 'Deposit a parcel: reserves the best-fit free compartment and opens it',
      params: s.LockerParams,
      body: s.DepositRequest,
      response: { 201: s.DepositView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const result = await deposit(
        deps,
        { userId: me(req), carrierId: carrierOf(req.allowed) },
        {
          ...req.body,
          lockerId: req.params.lockerId,
          kind: req.body.kind ?? 'delivery',
          idempotencyKey: req.idempotencyClaim?.ref.key,
        },
      );
      return reply.status(201).send(presentDeposit(result));
    },
  });

  app.get('/courier/deposits', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: 'My deposits since a time (default: the last 24 hours)',
      querystring: s.SinceQuery,
      response: { 200: Type.Array(s.CourierParcelView), ...errorResponses },
    },
    handler: async (req) => {
      const since = req.query.since ?? iso(deps.clock.now() - 86_400_000);
      const rows = await recipientRepo.parcelsOfDepositor(
        deps.db,
        me(req),
        since,
        req.query.limit ?? 200,
      );
      const places = await lockerPlaceNames(
        deps.db,
        rows.map((p) => p.locker_id),
      );
      return rows.map((p) => presentForCourier(p, deps.vault, places.get(p.locker_id)));
    },
  });

  app.get('/courier/parcels/:parcelId', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: 'One of my deposits (poll until stored)',
      params: s.ParcelParams,
      response: { 200: s.CourierParcelView, ...errorResponses },
    },
    handler: async (req) => {
      const p = await parcels.findParcel(deps.db, req.params.parcelId);
      if (!p || p.depositor_id !== me(req)) throw notFound('That parcel');
      const [places, events] = await Promise.all([
        lockerPlaceNames(deps.db, [p.locker_id]),
        eventRepo.parcelEvents(deps.db, p.id),
      ]);
      return {
        ...presentForCourier(p, deps.vault, places.get(p.locker_id)),
        outcome: depositOutcome(p, events),
      };
    },
  });

  app.post('/courier/screen-sessions', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary:
        "Sign in at a locker's touchscreen by scanning its QR: the screen then takes deposits for you for 10 minutes (ADR 0018)",
      body: s.ScreenSignIn,
      response: { 201: s.ScreenSessionView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await signInAtScreen(
            deps,
            { userId: me(req), carrierId: carrierOf(req.allowed) },
            req.body.qr,
          ),
        ),
  });

  app.get('/me/parcels', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary:
        'My parcels: waiting (with code, compartment, deadline, disinfection) or also recently picked up',
      querystring: s.MyParcelsQuery,
      response: { 200: Type.Array(s.MyParcelView), ...errorResponses },
    },
    handler: async (req) => service.myParcels(deps, me(req), req.query.include ?? 'live'),
  });

  app.get('/me/parcels/:parcelId', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'One of my parcels',
      params: s.ParcelParams,
      response: { 200: s.MyParcelView, ...errorResponses },
    },
    handler: async (req) => service.myParcel(deps, me(req), req.params.parcelId),
  });

  app.get('/me/parcels/:parcelId/events', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: "My parcel's history: who, what, when, from which device",
      params: s.ParcelParams,
      response: { 200: Type.Array(s.ParcelEventView), ...errorResponses },
    },
    handler: async (req) => {
      const { parcel } = await service.reachableParcel(deps.db, me(req), req.params.parcelId);
      return (await eventRepo.parcelEvents(deps.db, parcel.id)).map(presentEvent);
    },
  });

  app.post('/me/parcels/:parcelId/open', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'Open my compartment from the app (when I am at the locker)',
      params: s.ParcelParams,
      response: { 202: CommandView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(presentCommand(await service.openMyParcel(deps, me(req), req.params.parcelId))),
  });

  app.get('/me/sent', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'What I deposited for neighbours or sent with a carrier (default: the last 30 days)',
      querystring: s.SinceQuery,
      response: { 200: Type.Array(s.SentParcelView), ...errorResponses },
    },
    handler: async (req) =>
      service.mySent(
        deps,
        me(req),
        req.query.since ?? iso(deps.clock.now() - 30 * 86_400_000),
        req.query.limit ?? 100,
      ),
  });

  app.get('/me/notifications', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'My in-app notifications, newest first',
      response: { 200: Type.Array(s.NotificationView), ...errorResponses },
    },
    handler: async (req) =>
      (await notificationRepo.appNotifications(deps.db, me(req), 100)).map((n) => ({
        id: n.id,
        body: n.body,
        createdAt: n.created_at,
      })),
  });

  app.get('/lockers/:lockerId/parcels', {
    config: {
      access: {
        roles: STAFF_ROLES,
        object: (req) => ({ kind: 'locker', id: (req.params as { lockerId: string }).lockerId }),
      },
    },
    schema: {
      tags,
      security,
      summary: 'Parcels in a locker now (phones masked)',
      params: s.LockerParams,
      response: { 200: Type.Array(s.CourierParcelView), ...errorResponses },
    },
    handler: async (req) => {
      const rows = await parcels.storedAtLocker(deps.db, req.params.lockerId);
      const places = await lockerPlaceNames(deps.db, [req.params.lockerId]);
      return rows.map((p) => presentForCourier(p, deps.vault, places.get(p.locker_id)));
    },
  });
}
