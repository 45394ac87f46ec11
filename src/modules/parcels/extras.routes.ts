/** Routes for neighbour deposits (寄存) and outgoing parcels (寄件); takeout needs no route of its own. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { presentCommand, CommandView } from '../lockers/index.ts';
import { principalOf } from '../../platform/auth/access.ts';
import { carrierOf } from './actors.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as x from './extras.schemas.ts';
import type { OutgoingRow } from './extras.repository.ts';
import { residentCommunities } from '../identity/index.ts';
import { depositForNeighbour } from './neighbour.service.ts';
import { collectOutgoing, listOutgoing, sendParcel } from './outgoing.service.ts';
import { presentDeposit } from './parcel.presenter.ts';
import { collectReturn, listReturns } from './returns.service.ts';
import { DepositView, LockerParams, ParcelParams } from './parcel.schemas.ts';

const tags = ['parcels'];
const security = [{ bearer: [] }];

function presentOutgoing(r: OutgoingRow) {
  return {
    parcelId: r.id,
    lockerId: r.locker_id,
    lockerName: r.locker_name,
    address: `${r.compound}${r.site}`,
    compartment: r.compartment,
    size: r.size,
    storedAt: r.stored_at,
  };
}

/** Residents deposit for neighbours and send parcels; couriers list and collect what was sent with their carrier. */
export async function parcelExtrasRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const resident = (req: FastifyRequest) => ({
    userId: principalOf(req).userId,
    communities: residentCommunities(req.allowed),
  });

  app.post('/lockers/:lockerId/neighbour-deposits', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary:
        'Leave something for a neighbour or visitor: reserves a compartment and opens it; the code goes to their phone',
      params: LockerParams,
      body: x.NeighbourDepositRequest,
      response: { 201: DepositView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(201).send(
        presentDeposit(
          await depositForNeighbour(deps, resident(req), {
            lockerId: req.params.lockerId,
            recipientPhone: req.body.recipientPhone,
            size: req.body.size,
            ...(req.body.note !== undefined ? { note: req.body.note } : {}),
            idempotencyKey: req.idempotencyClaim?.ref.key,
          }),
        ),
      ),
  });

  app.post('/lockers/:lockerId/outgoing', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary: 'Send a parcel: reserves a compartment and opens it; the chosen carrier collects it',
      params: LockerParams,
      body: x.OutgoingRequest,
      response: { 201: DepositView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.status(201).send(
        presentDeposit(
          await sendParcel(deps, resident(req), {
            lockerId: req.params.lockerId,
            carrierId: req.body.carrierId,
            size: req.body.size,
            idempotencyKey: req.idempotencyClaim?.ref.key,
          }),
        ),
      ),
  });

  app.get('/courier/outgoing', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: 'Outgoing parcels waiting in lockers for my carrier',
      response: { 200: Type.Array(x.OutgoingView), ...errorResponses },
    },
    handler: async (req) => (await listOutgoing(deps, carrierOf(req.allowed))).map(presentOutgoing),
  });

  app.get('/courier/returns', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary:
        'Overdue deliveries of my carrier to take back from lockers (community policy: return to courier)',
      response: { 200: Type.Array(x.ReturnView), ...errorResponses },
    },
    handler: async (req) => listReturns(deps, carrierOf(req.allowed)),
  });

  app.post('/courier/returns/:parcelId/collect', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: "Open an overdue parcel's compartment to take it back",
      params: ParcelParams,
      response: { 202: CommandView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(
          presentCommand(
            await collectReturn(
              deps,
              { userId: principalOf(req).userId, carrierId: carrierOf(req.allowed) },
              req.params.parcelId,
            ),
          ),
        ),
  });

  app.post('/courier/outgoing/:parcelId/collect', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary: "Open an outgoing parcel's compartment to collect it",
      params: ParcelParams,
      response: { 202: CommandView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(
          presentCommand(
            await collectOutgoing(
              deps,
              { userId: principalOf(req).userId, carrierId: carrierOf(req.allowed) },
              req.params.parcelId,
            ),
          ),
        ),
  });
}
