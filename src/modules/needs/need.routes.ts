/** Every HTTP route of the needs module under /api/v1 (Open311 has its own prefix: open311.routes.ts). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';
import { needAdminRoutes } from './admin.routes.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { deskRoutes } from './desk.routes.ts';
import type { InstitutionGateway } from './institution.adapter.ts';
import { photoRoutes } from './photo.routes.ts';
import { residentNeedRoutes } from './resident.routes.ts';
import { workRoutes } from './work.routes.ts';

/** Register the needs API; `gateway` hands requests to outside institutions. */
export async function needRoutes(
  app: FastifyInstance,
  opts: { deps: AppDeps; gateway: InstitutionGateway },
): Promise<void> {
  // Not `opts` itself: it carries this plugin's prefix, which would be applied twice.
  const o = { deps: opts.deps, gateway: opts.gateway };
  await app.register(catalogueRoutes, o);
  await app.register(residentNeedRoutes, o);
  await app.register(workRoutes, o);
  await app.register(deskRoutes, o);
  await app.register(needAdminRoutes, o);
  await app.register(photoRoutes, o);
}
