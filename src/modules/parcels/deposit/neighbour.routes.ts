/** Routes for neighbour deposits (寄存): a resident leaves something at a locker for someone else. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { residentCommunities } from '../../identity/index.ts';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { presentDeposit } from '../core/parcel.presenter.ts';
import { DepositView, LockerParams } from '../core/parcel.schemas.ts';
import { NeighbourDepositRequest } from './neighbour.schemas.ts';
import { depositForNeighbour } from './neighbour.service.ts';

const tags = ['parcels'];
const security = [{ bearer: [] }];

/** A resident leaves something for a neighbour or visitor. */
export async function neighbourRoutes(
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
      body: NeighbourDepositRequest,
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
}
