/** Routes for overdue deliveries going back to their carrier (community policy: return to courier). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { presentCommand, CommandView } from '../../lockers/index.ts';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { carrierOf } from '../core/actors.ts';
import { ParcelParams } from '../core/parcel.schemas.ts';
import { ReturnView } from './overdue.schemas.ts';
import { collectReturn, listReturns } from './returns.service.ts';

const tags = ['parcels'];
const security = [{ bearer: [] }];

/** Couriers list and take back their carrier's overdue deliveries. */
export async function returnsRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/courier/returns', {
    config: { access: { roles: ['courier'] } },
    schema: {
      tags,
      security,
      summary:
        'Overdue deliveries of my carrier to take back from lockers (community policy: return to courier)',
      response: { 200: Type.Array(ReturnView), ...errorResponses },
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
}
