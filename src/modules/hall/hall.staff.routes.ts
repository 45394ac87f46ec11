/** The hall console: catalogue, today's orders and locker delivery, group buys, bookings, stock alerts. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as bookings from './booking.service.ts';
import * as bs from './booking.schemas.ts';
import { shanghaiDay } from '../../platform/clock.ts';
import * as cat from './catalogue.service.ts';
import * as cs from './catalogue.schemas.ts';
import * as groupbuys from './groupbuy.service.ts';
import * as gs from './groupbuy.schemas.ts';
import { deliverToLocker } from './order-delivery.service.ts';
import * as orders from './order.staff.service.ts';
import * as os from './order.schemas.ts';

const security = [{ bearer: [] }];
const tags = ['hall'];
const hallRoles = ['hall_staff', ...ADMIN_ROLES] as const;

/** Routes of the hall console; each names the hall, which the caller's grant must cover. */
export async function hallStaffRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const hall = (req: { params: unknown }) => ({
    kind: 'hall',
    id: (req.params as { hallId: string }).hallId,
  });
  const staff = { access: { roles: hallRoles, object: hall } };

  app.get('/halls/:hallId/catalogue', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "The hall's whole catalogue, withdrawn items too",
      params: cs.HallParams,
      response: { 200: cs.CatalogueView, ...errorResponses },
    },
    handler: async (req) =>
      cat.catalogue(deps.db, await cat.staffHall(deps.db, req.params.hallId), true),
  });

  app.put('/halls/:hallId/profile', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "Set the hall's counter phone and intro",
      params: cs.HallParams,
      body: cs.ProfileInput,
      response: { 200: cs.HallView, ...errorResponses },
    },
    handler: async (req) => cat.saveProfile(deps, req.params.hallId, req.body),
  });

  app.post('/halls/:hallId/items', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Add a product or service to the catalogue',
      params: cs.HallParams,
      body: cs.ItemInput,
      response: { 201: cs.ItemView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return cat.addItem(deps, req.params.hallId, req.body);
    },
  });

  app.patch('/halls/:hallId/items/:catalogueItemId', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "Change an item's price, stock, text, photos or availability",
      params: cs.ItemParams,
      body: cs.ItemPatch,
      response: { 200: cs.ItemView, ...errorResponses },
    },
    handler: async (req) =>
      cat.editItem(deps, req.params.hallId, req.params.catalogueItemId, req.body),
  });

  app.get('/halls/:hallId/stock-alerts', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Products at or below their alert level',
      params: cs.HallParams,
      response: { 200: Type.Array(cs.StockAlert), ...errorResponses },
    },
    handler: async (req) => cat.stockAlerts(deps, req.params.hallId),
  });

  app.get('/halls/:hallId/orders', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Orders to pack and deliver (or those in one state)',
      params: cs.HallParams,
      querystring: os.OrderListQuery,
      response: { 200: Type.Array(os.OrderView), ...errorResponses },
    },
    handler: async (req) =>
      orders.hallOrders(deps, req.params.hallId, {
        ...(req.query.status ? { statuses: [req.query.status] } : {}),
        ...(req.query.since ? { since: req.query.since } : {}),
        limit: req.query.limit ?? 100,
      }),
  });

  app.post('/halls/:hallId/orders/:orderId/deliver', {
    config: staff,
    schema: {
      tags,
      security,
      summary:
        "Deposit a paid order into the locker at the resident's unit (the resident gets a code)",
      params: os.HallOrderParams,
      body: os.DeliverInput,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) =>
      deliverToLocker(
        deps,
        principalOf(req).userId,
        req.params.hallId,
        req.params.orderId,
        req.body.size ?? 'M',
      ),
  });

  app.post('/halls/:hallId/orders/:orderId/ready', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'A pickup order is packed and waits at the counter',
      params: os.HallOrderParams,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) => orders.markReady(deps, req.params.hallId, req.params.orderId),
  });

  app.post('/halls/:hallId/orders/:orderId/complete', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Handed over at the counter, or the service done',
      params: os.HallOrderParams,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) => orders.markCompleted(deps, req.params.hallId, req.params.orderId),
  });

  app.post('/halls/:hallId/orders/:orderId/cancel', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Cancel an order: stock back, full refund',
      params: os.HallOrderParams,
      body: os.Reason,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) =>
      orders.cancelByHall(deps, req.params.hallId, req.params.orderId, req.body.reason),
  });

  app.post('/halls/:hallId/orders/:orderId/refunds', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Refund part of an order to its original payment',
      params: os.HallOrderParams,
      body: os.RefundInput,
      response: { 200: os.OrderView, ...errorResponses },
    },
    handler: async (req) =>
      orders.refundPart(
        deps,
        req.params.hallId,
        req.params.orderId,
        req.body.amountFen,
        req.body.reason,
      ),
  });

  app.get('/halls/:hallId/group-buys', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "The hall's group buys (counts only, never who joined)",
      params: cs.HallParams,
      response: { 200: Type.Array(gs.GroupBuyView), ...errorResponses },
    },
    handler: async (req) => groupbuys.listGroupBuys(deps, req.params.hallId, null),
  });

  app.post('/halls/:hallId/group-buys', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'The hall proposes a group buy',
      params: cs.HallParams,
      body: gs.GroupBuyInput,
      response: { 201: gs.GroupBuyView, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return groupbuys.propose(deps, principalOf(req), req.params.hallId, 'hall', req.body);
    },
  });

  app.get('/halls/:hallId/bookings', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "A day's bookings of the hall's tables and rooms",
      params: cs.HallParams,
      querystring: bs.DayQuery,
      response: { 200: bs.DayView, ...errorResponses },
    },
    handler: async (req) =>
      bookings.dayView(deps, req.params.hallId, req.query.day ?? shanghaiDay(deps.clock.now())),
  });

  app.post('/halls/:hallId/bookings/:bookingId/approve', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Approve a large meeting',
      params: bs.HallBookingParams,
      response: { 200: bs.BookingView, ...errorResponses },
    },
    handler: async (req) => bookings.decide(deps, req.params.hallId, req.params.bookingId, true),
  });

  app.post('/halls/:hallId/bookings/:bookingId/reject', {
    config: staff,
    schema: {
      tags,
      security,
      summary: 'Reject a large meeting (its slot is freed)',
      params: bs.HallBookingParams,
      response: { 200: bs.BookingView, ...errorResponses },
    },
    handler: async (req) => bookings.decide(deps, req.params.hallId, req.params.bookingId, false),
  });

  app.post('/halls/:hallId/bookings/check-in', {
    config: staff,
    schema: {
      tags,
      security,
      summary: "Check a resident in with their booking's code",
      params: cs.HallParams,
      body: bs.CheckinInput,
      response: { 200: bs.BookingView, ...errorResponses },
    },
    handler: async (req) => bookings.checkIn(deps, req.params.hallId, req.body.code),
  });
}
