/** Routes for outgoing parcels (寄件): residents send, their chosen carrier's couriers list and collect. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { presentCommand, CommandView } from '../../lockers/index.ts';
import { residentCommunities } from '../../identity/index.ts';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { carrierOf } from '../core/actors.ts';
import { presentDeposit } from '../core/parcel.presenter.ts';
import { DepositView, LockerParams, ParcelParams } from '../core/parcel.schemas.ts';
import type { OutgoingRow } from './outgoing.repository.ts';
import * as x from './outgoing.schemas.ts';
import { collectOutgoing, listOutgoing, sendParcel } from './outgoing.service.ts';

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

/** Residents send parcels; couriers list and collect what was sent with their carrier. */
export async function outgoingRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const resident = (req: FastifyRequest) => ({
    userId: principalOf(req).userId,
    communities: residentCommunities(req.allowed),
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
