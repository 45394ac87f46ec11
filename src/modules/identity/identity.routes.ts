import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';
import { agreementRoutes } from './agreement.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { householdRoutes } from './household.routes.ts';
import type { LiveSessions } from './session.runtime.ts';
import { userRoutes } from './user.routes.ts';
import { wechatRoutes } from './wechat/wechat.routes.ts';

/** The identity module's HTTP surface. */
export async function identityRoutes(
  app: FastifyInstance,
  opts: { deps: AppDeps; sessions: LiveSessions },
): Promise<void> {
  await app.register(authRoutes, { deps: opts.deps, sessions: opts.sessions });
  await app.register(userRoutes, { deps: opts.deps, sessions: opts.sessions });
  await app.register(householdRoutes, { deps: opts.deps });
  await app.register(agreementRoutes, { deps: opts.deps });
  await app.register(wechatRoutes, { deps: opts.deps });
}
