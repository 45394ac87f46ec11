/** Binding the embedded broker's TCP port, with demo mode's move past a busy port. */
import type net from 'node:net';
import { ConfigError } from '../../config.ts';

/** Listen on host:port; in demo mode a busy port moves up to 19 ports further. */
export async function listen(
  server: net.Server,
  opts: { host: string; port: number; demo: boolean },
): Promise<{ port: number; moved: boolean }> {
  const setting = '--mqtt-port / MQTT_PORT';
  const tries = opts.demo && opts.port !== 0 ? 20 : 1;
  for (let i = 0; i < tries; i++) {
    const port = opts.port + i;
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        server.once('error', onError);
        server.listen({ host: opts.host, port }, () => {
          server.off('error', onError);
          resolve();
        });
      });
      const addr = server.address();
      return { port: typeof addr === 'object' && addr ? addr.port : port, moved: i > 0 };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      if (!opts.demo)
        throw new ConfigError(
          setting,
          `port ${port} on ${opts.host} is already in use; stop what uses it or choose another port.`,
        );
    }
  }
  throw new ConfigError(
    setting,
    `ports ${opts.port}–${opts.port + tries - 1} on ${opts.host} are all in use; choose another port.`,
  );
}
