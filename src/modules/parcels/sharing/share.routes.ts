import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses, Id, Nullable, Obj, Timestamp } from '../../../platform/http/schemas.ts';
import { PhoneInput } from '../../identity/index.ts';
import { ParcelParams } from '../core/parcel.schemas.ts';
import * as service from './share.service.ts';

const ShareView = Obj({
  shareId: Id,
  phone: Nullable(Type.String({ description: 'masked, 138****1234' })),
  createdAt: Timestamp,
});
const ShareInput = Obj({ phone: PhoneInput });
const ShareParams = Obj({ parcelId: Id, shareId: Id });

/** A recipient shares the pickup of a waiting parcel with family, and revokes it. */
export async function shareRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['parcels'];
  const security = [{ bearer: [] }];
  const recipient = { roles: 'any' as const };

  app.post('/me/parcels/:parcelId/shares', {
    config: { access: recipient },
    schema: {
      tags,
      security,
      summary:
        'Share the pickup of my waiting parcel with a family member (they get the code by SMS or in their app)',
      params: ParcelParams,
      body: ShareInput,
      response: { 201: ShareView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await service.shareParcel(
            deps,
            principalOf(req).userId,
            req.params.parcelId,
            req.body.phone,
          ),
        ),
  });

  app.get('/me/parcels/:parcelId/shares', {
    config: { access: recipient },
    schema: {
      tags,
      security,
      summary: 'Who I shared this parcel with',
      params: ParcelParams,
      response: { 200: Type.Array(ShareView), ...errorResponses },
    },
    handler: async (req) => service.listShares(deps, principalOf(req).userId, req.params.parcelId),
  });

  app.delete('/me/parcels/:parcelId/shares/:shareId', {
    config: { access: recipient },
    schema: {
      tags,
      security,
      summary: 'Revoke a share: it ends now and the parcel gets a new code',
      params: ShareParams,
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await service.revokeShare(
        deps,
        principalOf(req).userId,
        req.params.parcelId,
        req.params.shareId,
      );
      return reply.status(204).send(null);
    },
  });
}
