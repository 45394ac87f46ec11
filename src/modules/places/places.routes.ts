import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';
import { amenitiesRoutes } from './amenities.routes.ts';
import { directoryRoutes } from './directory.routes.ts';
import { hierarchyRoutes } from './hierarchy.routes.ts';
import { locationRoutes } from './location.routes.ts';
import { workplaceRoutes } from './workplace.routes.ts';

/** The places module's HTTP surface. */
export async function placesRoutes(
  app: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  // Pass only deps on: forwarding the caller's options would forward its `prefix` too and double it.
  await app.register(hierarchyRoutes, { deps });
  await app.register(amenitiesRoutes, { deps });
  await app.register(directoryRoutes, { deps });
  await app.register(workplaceRoutes, { deps });
  await app.register(locationRoutes, { deps });
}
