/**
 * Sending with an address, a quote and payment (寄件): residents price, order, pay and take
 * back a rejected parcel; the carrier's couriers list what to collect and reject what they
 * cannot carry (refunded); operator admins keep the tariff table; the provider's callback.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CommandView, presentCommand } from '../../lockers/index.ts';
import { residentCommunities } from '../../identity/index.ts';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { signedCallbackRoute } from '../../../platform/payment/callback.routes.ts';
import { paymentProvider } from '../../../platform/payment/payment.port.ts';
import { carrierOf } from '../core/actors.ts';
import * as x from './sending.schemas.ts';
import * as orders from './sending-order.service.ts';
import { presentForCourier, presentOrder, presentOrders } from './sending.presenter.ts';
import { paidOrdersOfCarrier, ordersOfUser } from './sending.repository.ts';
import * as tariffs from './tariff.service.ts';

const tags = ['sending'];
const security = [{ bearer: [] }];
const resident = { access: { roles: ['resident' as const] } };

async function tariffView(deps: AppDeps) {
  return {
    weightBands: [...x.WEIGHT_BANDS],
    sizes: ['S', 'M', 'L', 'XL'] as ('S' | 'M' | 'L' | 'XL')[],
    carriers: await tariffs.tariffTable(deps),
  };
}

/** The resident's, the courier's and the operator's sending routes. */
export async function sendingRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const me = (req: FastifyRequest) => principalOf(req).userId;

  app.get('/me/sending/tariffs', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Carriers I can send with, their weight bands, sizes and prices (fen)',
      response: { 200: x.TariffsView, ...errorResponses },
    },
    handler: async () => tariffView(deps),
  });

  app.post('/me/sending/quotes', {
    config: resident,
    schema: {
      tags,
      security,
      summary:
        'Price a parcel with a carrier; the quote holds the price and addresses for 30 minutes',
      body: x.QuoteRequest,
      response: { 201: x.QuoteView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await tariffs.quote(deps, me(req), req.body)),
  });

  app.post('/me/sending/orders', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Order a quote at one of my lockers; it waits for payment (POST …/pay)',
      body: x.OrderRequest,
      response: { 201: x.OrderView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const o = await orders.createOrder(
        deps,
        { userId: me(req), communities: residentCommunities(req.allowed) },
        req.body,
      );
      return reply.status(201).send(await presentOrder(deps, o));
    },
  });

  app.get('/me/sending/orders', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'My sending orders, newest first',
      response: { 200: Type.Array(x.OrderView), ...errorResponses },
    },
    handler: async (req) => presentOrders(deps, await ordersOfUser(deps.db, me(req), 100)),
  });

  app.get('/me/sending/orders/:orderId', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'One of my sending orders',
      params: x.OrderParams,
      response: { 200: x.OrderView, ...errorResponses },
    },
    handler: async (req) =>
      presentOrder(deps, await orders.myOrder(deps, me(req), req.params.orderId)),
  });

  app.post('/me/sending/orders/:orderId/pay', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Pay the order; once the payment settles, the compartment opens for the parcel',
      params: x.OrderParams,
      response: { 200: x.OrderView, ...errorResponses },
    },
    handler: async (req) =>
      presentOrder(deps, await orders.payOrder(deps, me(req), req.params.orderId)),
  });

  app.post('/me/sending/orders/:orderId/retrieve', {
    config: resident,
    schema: {
      tags,
      security,
      summary: 'Open the compartment to take back a parcel the carrier rejected',
      params: x.OrderParams,
      response: { 202: CommandView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(presentCommand(await orders.retrieveRejected(deps, me(req), req.params.orderId))),
  });

  app.get('/courier/sending/orders', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: 'Paid parcels waiting in lockers for my carrier: where, what size, masked people',
      response: { 200: Type.Array(x.CourierSendingView), ...errorResponses },
    },
    handler: async (req) =>
      presentForCourier(deps, await paidOrdersOfCarrier(deps.db, carrierOf(req.allowed), 200)),
  });

  app.post('/courier/sending/orders/:orderId/reject', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary:
        'Refuse a parcel my carrier cannot carry: the sender is refunded and can take it back',
      params: x.OrderParams,
      body: x.RejectRequest,
      response: {
        200: Type.Object({ orderId: Type.String(), status: x.OrderStatus }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const o = await orders.rejectOrder(
        deps,
        { userId: me(req), carrierId: carrierOf(req.allowed) },
        req.params.orderId,
        req.body.reason,
      );
      return { orderId: o.id, status: 'refunded' as const };
    },
  });

  app.get('/sending/tariffs', {
    config: { access: { roles: ['operator_admin'] } },
    schema: {
      tags,
      security,
      summary: 'The sending tariff table (operator admins)',
      response: { 200: x.TariffsView, ...errorResponses },
    },
    handler: async () => tariffView(deps),
  });

  app.put('/sending/tariffs', {
    config: { access: { roles: ['operator_admin'] } },
    schema: {
      tags,
      security,
      summary: "Set a carrier's price for a weight band and size (operator admins)",
      body: x.TariffInput,
      response: { 200: x.TariffsView, ...errorResponses },
    },
    handler: async (req) => {
      await tariffs.setTariff(deps, me(req), req.body);
      return tariffView(deps);
    },
  });

  app.delete('/sending/tariffs', {
    config: { access: { roles: ['operator_admin'] } },
    schema: {
      tags,
      security,
      summary: 'Stop offering a weight band and size with a carrier (operator admins)',
      querystring: x.TariffKey,
      response: { 200: x.TariffsView, ...errorResponses },
    },
    handler: async (req) => {
      await tariffs.removeTariff(deps, req.query);
      return tariffView(deps);
    },
  });
}

/** The payment provider's notifications for sending orders (its own plugin: it parses JSON as raw text). */
export async function sendingCallbackRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  signedCallbackRoute(root, {
    url: `/payments/${paymentProvider(deps.config).name}/sending-callback`,
    tags,
    summary: "A payment provider notifies a sending order's payment (signed; replays ignored)",
    deliver: (callback) => orders.deliverSendingCallback(deps, callback),
  });
}
