import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PICKUP_CODE_PATTERN } from '../../../contract/index.ts';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses, Id, Obj } from '../../../platform/http/schemas.ts';
import { LockerIdParam } from '../../lockers/index.ts';
import * as service from './pickup.service.ts';

const PickupResult = Obj({
  lockerId: Type.String(),
  opened: Type.Array(Obj({ parcelId: Id, compartment: Type.Integer(), commandId: Type.String() }), {
    description: 'one open per compartment; watch the command for the door',
  }),
});
const ScanInput = Obj({
  qr: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'the text of the QR code on the locker screen',
  }),
});
const CodeInput = Obj({
  lockerId: LockerIdParam,
  code: Type.String({ pattern: PICKUP_CODE_PATTERN, description: 'the 8-digit pickup code' }),
});

/** Pickup from the app while standing at the locker: by scanning its screen, or by typing a code. */
export async function pickupRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['parcels'];
  const security = [{ bearer: [] }];

  app.post('/me/pickups/scan', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary:
        "Scan the locker screen's QR: opens every parcel waiting for me (or shared with me) in that locker",
      body: ScanInput,
      response: { 202: PickupResult, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(await service.pickupByScan(deps, principalOf(req).userId, req.body.qr)),
  });

  app.post('/me/pickups/code', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary:
        'Type a pickup code in the app at a locker (wrong codes are throttled per phone and per locker)',
      body: CodeInput,
      response: { 202: PickupResult, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(
          await service.pickupByCode(
            deps,
            principalOf(req).userId,
            req.body.lockerId,
            req.body.code,
          ),
        ),
  });
}
