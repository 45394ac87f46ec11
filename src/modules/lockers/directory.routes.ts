/**
 * GET /lockers: the locker directory for people who deposit. Couriers see every active
 * locker (they deliver anywhere), the sites they used most recently first; residents see
 * those of their own communities. The search reads addresses as the apps show them
 * (directory-search.ts). Each entry names its place and, where a door has several
 * cabinets, the number on the cabinet; free compartments per size are shown so the
 * courier picks a locker that fits.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Obj } from '../../platform/http/schemas.ts';
import { residentCommunities } from '../identity/index.ts';
import { principalOf } from '../../platform/auth/access.ts';
import { cabinetLabels, placeName } from './cabinet.presenter.ts';
import { freeBySize } from './directory.repository.ts';
import { DirectoryEntry } from './directory.schemas.ts';
import { parseDirectorySearch } from './directory-search.ts';
import { type DirectoryViewer, lockerDirectory, type RecentDeposits } from './directory.service.ts';

const DirectoryQuery = Obj({
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 40,
      description:
        'An address as the apps show it (with or without spaces), a compound with building and unit numbers ("清淳 12栋3单元", "12-3"), or part of a name or locker id',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

/** The locker directory route. */
export async function lockerDirectoryRoutes(
  root: FastifyInstance,
  { deps, recentDeposits }: { deps: AppDeps; recentDeposits?: RecentDeposits },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/lockers', {
    config: { access: { roles: ['courier', 'resident'] } },
    schema: {
      tags: ['lockers'],
      security: [{ bearer: [] }],
      summary: 'Lockers I can deposit at, with free compartments per size',
      querystring: DirectoryQuery,
      response: { 200: Type.Array(DirectoryEntry), ...errorResponses },
    },
    handler: async (req) => {
      const courierGrants = req.allowed.filter((g) => g.role === 'courier');
      const viewer: DirectoryViewer = courierGrants.length
        ? {
            kind: 'courier',
            userId: principalOf(req).userId,
            communityIds: courierGrants
              .map((g) => g.communityId)
              .filter((c): c is string => c !== null),
          }
        : { kind: 'resident', communityIds: residentCommunities(req.allowed) };
      const rows = await lockerDirectory(deps, recentDeposits, viewer, {
        ...(req.query.q ? { search: parseDirectorySearch(req.query.q) } : {}),
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      });
      const [free, labels] = await Promise.all([
        freeBySize(
          deps.db,
          rows.map((r) => r.id),
        ),
        cabinetLabels(
          deps.db,
          rows.map((r) => r.site_id),
        ),
      ]);
      return rows.map((r) => {
        const f = { S: 0, M: 0, L: 0, XL: 0 };
        for (const x of free) if (x.locker_id === r.id) f[x.size as keyof typeof f] = x.free;
        const cabinet = labels.get(r.id) ?? '';
        return {
          id: r.id,
          name: r.name,
          communityId: r.community_id,
          address: `${r.community} ${r.compound} ${r.site}`,
          place: placeName(r.compound, r.site, cabinet),
          cabinet,
          presence: r.presence,
          free: f,
        };
      });
    },
  });
}
