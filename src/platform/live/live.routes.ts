/**
 * GET /api/v1/live: a Server-Sent Events stream of ids and types for the signed-in
 * user (ADR 0015). The web client reads it with fetch and the normal Bearer header, so
 * the token never appears in a URL; on each frame it refetches through the API.
 */
import type { FastifyInstance } from 'fastify';
import type { Grant } from '../auth/access.ts';
import { principalOf } from '../auth/access.ts';
import { STAFF_ROLES } from '../auth/roles.ts';
import type { AppDeps } from '../deps.ts';
import { type LiveFrame, LiveHub, type LiveOptions } from './live.hub.ts';
import { communitiesOfSubdistrict, phoneHashOf } from './live.repository.ts';

const HEARTBEAT_MS = 15_000;

async function staffCommunities(
  deps: AppDeps,
  grants: readonly Grant[],
): Promise<ReadonlySet<string> | 'all'> {
  const staff = grants.filter((g) => (STAFF_ROLES as readonly string[]).includes(g.role));
  if (staff.some((g) => g.scopeKind === 'platform')) return 'all';
  const out = new Set<string>();
  for (const g of staff) {
    if (g.scopeKind === 'subdistrict')
      for (const c of await communitiesOfSubdistrict(deps.db, g.scopeId)) out.add(c);
    else if (g.communityId) out.add(g.communityId);
  }
  return out;
}

/** Register the live stream; the hub it creates stops with the app. */
export async function liveRoutes(
  app: FastifyInstance,
  { deps, live }: { deps: AppDeps; live?: LiveOptions },
): Promise<void> {
  const hub = new LiveHub(deps.db, app.log, live);
  // preClose, not onClose: open streams would otherwise hold the server's close.
  app.addHook('preClose', async () => hub.close());

  app.get('/live', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['live'],
      security: [{ bearer: [] }],
      summary:
        'Live updates (text/event-stream): parcel, alert, compartment, consent and need ids as they change; refetch details through the API',
      produces: ['text/event-stream'],
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const [phoneHash, communities] = await Promise.all([
        phoneHashOf(deps.db, p.userId),
        staffCommunities(deps, p.grants),
      ]);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.socket?.setNoDelay(true);
      const write = (text: string) => {
        if (!res.writableEnded) res.write(text);
      };
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      let unsubscribe = () => {};
      const finish = () => {
        clearInterval(heartbeat);
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      req.raw.on('close', finish);
      unsubscribe = await hub.subscribe({
        userId: p.userId,
        sessionId: p.sessionId,
        phoneHash,
        communities,
        send: (f: LiveFrame) => write(`event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`),
        end: finish,
      });
      if (req.raw.destroyed) return finish();
      // Tells the client the subscription is in place (it refetches once on this).
      write('retry: 3000\nevent: ready\ndata: {}\n\n');
    },
  });
}
