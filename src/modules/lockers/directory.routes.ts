/**
 * GET /lockers: the locker directory for people who deposit. Couriers see every active
 * locker (they deliver anywhere); residents see those of their own communities. Free
 * compartments per size are shown so the courier picks a locker that fits.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Obj } from '../../platform/http/schemas.ts';
import { residentCommunities } from '../parcels/neighbour.service.ts';
import { freeBySize, listDirectory } from './directory.repository.ts';

const DirectoryQuery = Obj({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Part of the locker, compound or site name' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

const Free = Obj({ S: Type.Integer(), M: Type.Integer(), L: Type.Integer(), XL: Type.Integer() });
export const DirectoryEntry = Obj({
  id: Type.String(),
  name: Type.String(),
  communityId: Type.String(),
  address: Type.String({ description: 'community, compound and locker site' }),
  presence: Type.String({ description: 'online | offline | unknown' }),
  free: Free,
});

/** The locker directory route. */
export async function lockerDirectoryRoutes(root: FastifyInstance, { deps }: { deps: AppDeps }): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/lockers', {
    config: { access: { roles: ['courier', 'resident'] } },
    schema: { tags: ['lockers'], security: [{ bearer: [] }], summary: 'Lockers I can deposit at, with free compartments per size', querystring: DirectoryQuery, response: { 200: Type.Array(DirectoryEntry), ...errorResponses } },
    handler: async (req) => {
      const courier = req.allowed.some((g) => g.role === 'courier');
      const rows = await listDirectory(deps.db, {
        ...(courier ? {} : { communityIds: residentCommunities(req.allowed) }),
        ...(req.query.q ? { q: req.query.q } : {}),
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      });
      const free = await freeBySize(deps.db, rows.map((r) => r.id));
      return rows.map((r) => {
        const f = { S: 0, M: 0, L: 0, XL: 0 };
        for (const x of free) if (x.locker_id === r.id) f[x.size as keyof typeof f] = x.free;
        return { id: r.id, name: r.name, communityId: r.community_id, address: `${r.community}${r.compound}${r.site}`, presence: r.presence, free: f };
      });
    },
  });
}
