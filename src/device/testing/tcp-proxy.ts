/**
 * A TCP pass-through that a test can cut and restore: a network outage between one
 * locker and the broker, while the broker (and the cloud's session) stay up.
 */
import net from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  readonly url: string;
  readonly port: number;
  /** Drop every connection and refuse new ones. */
  cut(): void;
  /** Accept connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Copies what one side sends to the other; the default is a plain pipe (the fault proxy's drops, duplicates and delays). */
export type Forward = (from: net.Socket, to: net.Socket) => void;

/** Forward 127.0.0.1:<random> to targetHost:targetPort (default 127.0.0.1). */
export async function startTcpProxy(
  targetPort: number,
  opts: { targetHost?: string; forward?: Forward } = {},
): Promise<TcpProxy> {
  const forward: Forward = opts.forward ?? ((from, to) => void from.pipe(to));
  let open = true;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer({ noDelay: true }, (client) => {
    if (!open) return client.destroy();
    const upstream = net.connect({
      port: targetPort,
      host: opts.targetHost ?? '127.0.0.1',
      noDelay: true,
    });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  const dropAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    cut: () => {
      open = false;
      dropAll();
    },
    restore: () => {
      open = true;
    },
    close: () => {
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
