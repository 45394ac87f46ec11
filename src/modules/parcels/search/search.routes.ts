/**
 * POST /communities/:communityId/parcels/search: staff find a parcel by the recipient's
 * 手机尾号 (last four digits), full phone (matched by keyed hash), waybill or locker id.
 * The query travels in the body so a phone never lands in a URL or the access log
 * (docs/security.md). Results are limited to the caller's area (a grid worker's grid, a
 * hall's compound), name the place, and show phones masked; never codes.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../../platform/auth/access.ts';
import { STAFF_ROLES } from '../../../platform/auth/roles.ts';
import { parsePhone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses, Id, Obj } from '../../../platform/http/schemas.ts';
import { limit } from '../../../platform/limits.ts';
import { hitLimits } from '../../../platform/rate-limit.ts';
import { areaOf, placeLabels, sitesToList } from '../../places/index.ts';
import { lockersByIds } from '../../lockers/index.ts';
import { presentForCourier } from '../core/parcel.presenter.ts';
import { StaffParcelView } from './search.schemas.ts';
import { type ParcelQuery, searchParcels } from './search.repository.ts';

const SearchBody = Obj({
  q: Type.Optional(
    Type.String({
      minLength: 2,
      maxLength: 40,
      description:
        '手机尾号 (the last 4 digits), the full recipient phone, a waybill fragment or a locker id',
    }),
  ),
  status: Type.Optional(
    Type.Enum(['reserved', 'stored', 'picked_up', 'cancelled', 'at_hall', 'returned', 'lost']),
  ),
  compoundId: Type.Optional(Id),
  buildingId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
/** How a typed query is read: a full phone, a 4-digit tail, else waybill or locker text. */
export function readQuery(
  q: string | undefined,
  hash: (phone: NonNullable<ReturnType<typeof parsePhone>>) => string,
): Pick<ParcelQuery, 'text' | 'phoneHash' | 'phoneTail'> {
  const text = q?.trim();
  if (!text) return {};
  const phone = parsePhone(text);
  if (phone) return { phoneHash: hash(phone) };
  if (/^\d{4}$/.test(text)) return { phoneTail: text };
  return { text };
}

/** The staff parcel search route. */
export async function parcelSearchRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/communities/:communityId/parcels/search', {
    config: {
      access: {
        roles: STAFF_ROLES,
        object: (req) => ({
          kind: 'community_area',
          id: (req.params as { communityId: string }).communityId,
        }),
      },
    },
    schema: {
      tags: ['parcels'],
      security: [{ bearer: [] }],
      summary:
        'Search parcels of my area of a community by 手机尾号, full phone, waybill or locker (phones masked, no codes); the query is in the body, never the URL',
      params: Obj({ communityId: Id }),
      body: SearchBody,
      response: { 200: Type.Array(StaffParcelView), ...errorResponses },
    },
    handler: async (req) => {
      const { communityId } = req.params;
      const me = principalOf(req).userId;
      await hitLimits(deps.db, deps.clock, [
        limit('parcelSearchesPerStaffMinute', me),
        limit('parcelSearchesPerStaffDay', me),
      ]);
      const siteIds = await sitesToList(
        deps.db,
        await areaOf(deps.db, req.allowed, communityId),
        communityId,
        req.body,
      );
      const rows = await searchParcels(
        deps.db,
        communityId,
        {
          ...readQuery(req.body.q, (p) => deps.vault.hash(p)),
          siteIds,
          ...(req.body.status ? { status: req.body.status } : {}),
        },
        req.body.limit ?? 50,
      );
      const lockers = await lockersByIds(
        deps.db,
        rows.map((p) => p.locker_id),
      );
      const labels = await placeLabels(deps.db, lockers);
      const names = new Map(lockers.map((l) => [l.id, l.name]));
      return rows.map((p) => {
        const place = labels.get(p.locker_id);
        return {
          ...presentForCourier(p, deps.vault),
          lockerName: names.get(p.locker_id) ?? p.locker_id,
          ...(place ? { place } : {}),
        };
      });
    },
  });
}
