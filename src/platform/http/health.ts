import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

const Status = Type.Object({ status: Type.String() });

/** /healthz (the process is up) and /readyz (it can serve: database reachable, not shutting down). */
export function installHealth(app: FastifyInstance, ping: () => Promise<void>): void {
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true;
  });
  app.get(
    '/healthz',
    { schema: { tags: ['ops'], summary: 'Liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness (database reachable)',
        response: { 200: Status, 503: Status },
      },
    },
    async (req, reply) => {
      if (closing) return reply.status(503).send({ status: 'shutting_down' });
      try {
        await ping();
        return { status: 'ready' };
      } catch (err) {
        req.log.warn({ err }, 'readiness check failed');
        return reply.status(503).send({ status: 'database_unreachable' });
      }
    },
  );
}
