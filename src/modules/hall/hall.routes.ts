/** The resident's hall: halls near home, catalogue, checkout, orders, group buys, bookings. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as bookings from './booking.service.ts';
import * as bs from './booking.schemas.ts';
import { shanghaiDay } from '../../platform/clock.ts';
import { catalogue, presentHall } from './catalogue.service.ts';
import * as cs from './catalogue.schemas.ts';
import * as checkout from './checkout.service.ts';
import * as groupbuys from './groupbuy.service.ts';
import * as gs from './groupbuy.schemas.ts';
import { hallsFor, residentHall } from './hall-context.service.ts';
import * as os from './order.schemas.ts';

const security = [{ bearer: [] }];
const resident = { access: { roles: ['resident'] as const } };
const tags = ['hall'];

/** Routes a resident uses in the app's 服务馆 tab (each checks the hall is in the resident's community). */
export async function hallRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/me/halls', {
    config: resident,
    schema: {
      tags,
      security,
      summary: "The service halls of the resident's communities, nearest first",
      response: { 200: Type.Array(cs.HallView), ...errorResponses },
    },
    handler: async (req) => {
      const halls = await hallsFor(deps.db, principalOf(req));
      return Promise.all(halls.map((h) => presentHall(deps.db, h)));
    },
  });

  app.get('/me/halls/:hallId/catalogue', {
    config: resident,
    schema: {
      tags,
      security,
      summary: "A hall's profile and what it offers",
      params: cs.HallParams,
      response: { 200: cs.CatalogueView, ...errorResponses },
    },
    handler: async (req) =>
      catalogue(deps.db, (await residentHall(deps.db, principalOf(req), req.params.hallId)).hall),
  });

  app.post('/me/halls/:hallId/orders', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Order from the cart and pay (409 when a price changed or stock ran out)',
      params: cs.HallParams,
      body: os.CheckoutInput,
      response: { 201: os.OrderView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return checkout.checkout(deps, principalOf(req), req.params.hallId, req.body);
    },
  });

  app.get('/me/hall-orders', {
    config: resident,
    schema: {
      tags,
      security,
      summary: "The resident's hall orders, newest first",
      response: { 200: Type.Array(os.OrderView), ...errorResponses },
    },
    handler: async (req) => checkout.myOrders(deps, principalOf(req).userId, 50),
  });

  app.get('/me/hall-orders/:orderId', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'One of my hall orders',
      params: os.OrderParams,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) => checkout.myOrder(deps, principalOf(req).userId, req.params.orderId),
  });

  app.post('/me/hall-orders/:orderId/cancel', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Cancel my order before the hall packs it (a paid one is refunded in full)',
      params: os.OrderParams,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) => checkout.cancelMine(deps, principalOf(req).userId, req.params.orderId),
  });

  app.get('/me/halls/:hallId/group-buys', {
    config: resident,
    schema: {
      tags,
      security,
      summary: "A hall's group buys with my own joins",
      params: cs.HallParams,
      response: { 200: Type.Array(gs.GroupBuyView), ...errorResponses },
    },
    handler: async (req) => groupbuys.residentGroupBuys(deps, principalOf(req), req.params.hallId),
  });

  app.post('/me/halls/:hallId/group-buys', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Propose a group buy (target quantity, one price, a deadline)',
      params: cs.HallParams,
      body: gs.GroupBuyInput,
      response: { 201: gs.GroupBuyView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return groupbuys.propose(deps, principalOf(req), req.params.hallId, 'resident', req.body);
    },
  });

  app.post('/me/group-buys/:groupBuyId/join', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Join a group buy with a quantity and pay',
      params: gs.GroupBuyParams,
      body: gs.JoinInput,
      response: { 200: gs.GroupBuyView, ...errorResponses },
    },
    handler: async (req) => groupbuys.join(deps, principalOf(req), req.params.groupBuyId, req.body),
  });

  app.get('/me/halls/:hallId/spaces', {
    config: resident,
    schema: {
      tags,
      security,
      summary: "A hall's tables and rooms with free places per slot on a day",
      params: cs.HallParams,
      querystring: bs.DayQuery,
      response: { 200: Type.Array(bs.SpaceDay), ...errorResponses },
    },
    handler: async (req) =>
      bookings.residentSpaces(
        deps,
        principalOf(req),
        req.params.hallId,
        req.query.day ?? shanghaiDay(deps.clock.now()),
      ),
  });

  app.post('/me/hall-spaces/:spaceId/bookings', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Book a slot (rules: notice, weekly limit, capacity; big meetings await approval)',
      params: bs.SpaceParams,
      body: bs.BookingInput,
      response: { 201: bs.BookingView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return bookings.book(deps, principalOf(req), req.params.spaceId, req.body);
    },
  });

  app.get('/me/hall-bookings', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'My upcoming bookings with their check-in codes',
      response: { 200: Type.Array(bs.BookingView), ...errorResponses },
    },
    handler: async (req) => bookings.myBookings(deps, principalOf(req).userId),
  });

  app.post('/me/hall-bookings/:bookingId/cancel', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Cancel my booking before it starts',
      params: bs.BookingParams,
      response: { 200: bs.BookingView, ...errorResponses },
    },
    handler: async (req) =>
      bookings.cancelMine(deps, principalOf(req).userId, req.params.bookingId),
  });
}
