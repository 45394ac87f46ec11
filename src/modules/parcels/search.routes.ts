/**
 * GET /communities/:communityId/parcels: staff find a parcel by waybill, locker or the
 * recipient's full phone (matched by keyed hash). Phones come back masked; no codes.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { STAFF_ROLES } from '../../platform/auth/roles.ts';
import { parsePhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Id, Obj } from '../../platform/http/schemas.ts';
import { presentForCourier } from './parcel.presenter.ts';
import { CourierParcelView } from './parcel.schemas.ts';
import { searchParcels } from './search.repository.ts';

const SearchQuery = Obj({
  q: Type.Optional(Type.String({ minLength: 2, maxLength: 40, description: 'Waybill fragment, locker id, or the full recipient phone' })),
  status: Type.Optional(Type.Enum(['reserved', 'stored', 'picked_up', 'cancelled', 'at_hall', 'returned'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

/** The staff parcel search route. */
export async function parcelSearchRoutes(root: FastifyInstance, { deps }: { deps: AppDeps }): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/communities/:communityId/parcels', {
    config: { access: { roles: STAFF_ROLES, object: (req) => ({ kind: 'community', id: (req.params as { communityId: string }).communityId }) } },
    schema: { tags: ['parcels'], security: [{ bearer: [] }], summary: 'Search parcels of a community (phones masked, no codes)', params: Obj({ communityId: Id }), querystring: SearchQuery, response: { 200: Type.Array(CourierParcelView), ...errorResponses } },
    handler: async (req) => {
      const text = req.query.q?.trim();
      const parsed = text ? parsePhone(text) : null;
      const phone = parsed ? deps.vault.hash(parsed) : undefined;
      const rows = await searchParcels(deps.db, req.params.communityId, { ...(phone ? { phoneHash: phone } : text ? { text } : {}), ...(req.query.status ? { status: req.query.status } : {}) }, req.query.limit ?? 50);
      return rows.map((p) => presentForCourier(p, deps.vault));
    },
  });
}
