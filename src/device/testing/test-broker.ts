/**
 * An in-process Aedes broker for device tests, on a random port with TCP_NODELAY, that
 * enforces the contract's per-locker access rule (devices log in with their locker id) — the
 * same rule the cloud's embedded broker applies. `restart()` loses everything in memory
 * (sessions, queued and retained messages), like a broker process restart.
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import {
  deviceMayPublish,
  deviceMaySubscribe,
  lockerIdFromUsername,
} from '../../contract/topics.ts';

/** A running test broker. */
export interface TestBroker {
  readonly url: string;
  readonly port: number;
  /** Publishes refused by the ACL, as "username topic". */
  readonly denied: string[];
  /** The current Aedes instance (changes on restart). */
  aedes(): Aedes;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function listen(
  port: number,
  denied: string[],
): Promise<{ server: net.Server; broker: Aedes; sockets: Set<net.Socket> }> {
  const broker = await Aedes.createBroker({
    authenticate: (client, username, _password, done) => {
      // Device usernames must match the client id; service accounts are free in tests.
      const lockerId = lockerIdFromUsername(username);
      done(null, lockerId === null || client.id === username);
    },
    authorizePublish: (client, packet, done) => {
      const lockerId = lockerIdFromUsername(client?.id);
      if (lockerId !== null && !deviceMayPublish(lockerId, packet.topic)) {
        denied.push(`${client?.id} ${packet.topic}`);
        return done(new Error('not your topic'));
      }
      done(null);
    },
    authorizeSubscribe: (client, sub, done) => {
      const lockerId = lockerIdFromUsername(client.id);
      done(null, lockerId !== null && !deviceMaySubscribe(lockerId, sub.topic) ? null : sub);
    },
  });
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, broker, sockets };
}

async function shut(s: {
  server: net.Server;
  broker: Aedes;
  sockets: Set<net.Socket>;
}): Promise<void> {
  for (const socket of s.sockets) socket.destroy();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
  await new Promise<void>((resolve) => s.broker.close(() => resolve()));
}

/** Start a broker on a free port. */
export async function startTestBroker(): Promise<TestBroker> {
  const denied: string[] = [];
  let current = await listen(0, denied);
  const port = (current.server.address() as net.AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    denied,
    aedes: () => current.broker,
    restart: async () => {
      await shut(current);
      current = await listen(port, denied);
    },
    close: () => shut(current),
  };
}
