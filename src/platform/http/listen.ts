import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../../config.ts';

/**
 * Listen on host:port. In demo mode a busy port moves to the next free one (newcomers
 * often have something on 8080); otherwise a busy port stops start-up naming the setting.
 * Returns the port actually bound.
 */
export async function listenWithFallback(
  app: FastifyInstance,
  opts: { host: string; port: number; demo: boolean; setting: string },
): Promise<{ port: number; moved: boolean }> {
  const tries = opts.demo && opts.port !== 0 ? 20 : 1;
  for (let i = 0; i < tries; i++) {
    const port = opts.port + i;
    try {
      await app.listen({ host: opts.host, port });
      const addr = app.server.address();
      return { port: typeof addr === 'object' && addr ? addr.port : port, moved: i > 0 };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE') throw e;
      if (!opts.demo)
        throw new ConfigError(
          opts.setting,
          `port ${port} on ${opts.host} is already in use; stop what uses it or choose another port.`,
        );
    }
  }
  throw new ConfigError(
    opts.setting,
    `ports ${opts.port}–${opts.port + tries - 1} on ${opts.host} are all in use; choose another port.`,
  );
}
