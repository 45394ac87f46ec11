/**
 * GET /api/v1/live: a Server-Sent Events stream of ids and types for the signed-in
 * user (ADR 0015). The web client reads it with fetch and the normal Bearer header, so
 * the token never appears in a URL; on each frame it refetches through the API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Grant } from '../auth/access.ts';
import { principalOf } from '../auth/access.ts';
import { STAFF_ROLES } from '../auth/roles.ts';
import type { AppDeps } from '../deps.ts';
import { type LiveFrame, LiveHub, type LiveOptions } from './live-hub.runtime.ts';
import { AppError, notFound } from '../errors.ts';
import { Id, Obj } from '../http/schemas.ts';
import { communitiesOfSubdistrict, phoneHashOf } from './live.repository.ts';
import { placesOfHall, placesOfUnits } from './notice.repository.ts';

const HEARTBEAT_MS = 15_000;
/** Public hall-board streams one node holds at most (a kiosk holds one; a flood stops here). */
export const MAX_BOARD_STREAMS = 200;

/** Open an SSE response on a hijacked reply; returns write and finish. */
function openStream(req: FastifyRequest, reply: FastifyReply, onClose: () => void) {
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
  const finish = () => {
    clearInterval(heartbeat);
    onClose();
    if (!res.writableEnded) res.end();
  };
  req.raw.on('close', finish);
  return {
    write,
    finish,
    send: (f: LiveFrame) => write(`event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`),
    // Tells the client the subscription is in place (it refetches once on this).
    ready: () => write('retry: 3000\nevent: ready\ndata: {}\n\n'),
  };
}

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
        'Live updates (text/event-stream): parcel, alert, compartment, consent, need and notice ids as they change; refetch details through the API',
      produces: ['text/event-stream'],
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const units = p.grants.filter((g) => g.role === 'resident' && g.scopeKind === 'unit');
      const [phoneHash, communities, places] = await Promise.all([
        phoneHashOf(deps.db, p.userId),
        staffCommunities(deps, p.grants),
        placesOfUnits(
          deps.db,
          units.map((g) => g.scopeId),
        ),
      ]);
      let unsubscribe = () => {};
      const stream = openStream(req, reply, () => unsubscribe());
      unsubscribe = await hub.subscribe({
        userId: p.userId,
        sessionId: p.sessionId,
        phoneHash,
        communities,
        places,
        send: stream.send,
        end: stream.finish,
      });
      if (req.raw.destroyed) return stream.finish();
      stream.ready();
    },
  });

  let boards = 0;
  app.get<{ Params: { hallId: string } }>('/live/halls/:hallId', {
    config: { access: { public: true } },
    schema: {
      tags: ['live'],
      summary:
        "A hall kiosk's live board (text/event-stream): notice and activity ids over the hall's place as they are published or change; refetch the board",
      params: Obj({ hallId: Id }),
      produces: ['text/event-stream'],
    },
    handler: async (req, reply) => {
      const places = await placesOfHall(deps.db, req.params.hallId);
      if (!places) throw notFound('That service hall');
      if (boards >= MAX_BOARD_STREAMS)
        throw new AppError(
          'rate_limited',
          '自助屏连接过多，请稍后再试。Too many kiosk boards are listening on this node; try again shortly.',
        );
      boards++;
      let unsubscribe = () => {};
      let closed = false;
      const stream = openStream(req, reply, () => {
        if (!closed) boards--;
        closed = true;
        unsubscribe();
      });
      unsubscribe = await hub.subscribe({
        userId: '',
        sessionId: null,
        phoneHash: null,
        communities: new Set(),
        places,
        send: stream.send,
        end: stream.finish,
      });
      if (req.raw.destroyed) return stream.finish();
      stream.ready();
    },
  });
}
