/**
 * The embedded MQTT broker (Aedes) of `antnest serve`: authentication through a
 * callback, the contract's access rule (acl.ts), the pre-login limits (limits.ts), the
 * node's in-process transport (local.ts), and graceful close.
 */
import net from 'node:net';
import mqemitter from 'mqemitter';
import { Aedes, type AuthenticateError, type Client, type ConnectPacket } from 'aedes';
import {
  identityProblem,
  mqttAclAllows,
  type MqttAuthenticate,
  type MqttPrincipal,
  SERVICE_TOPIC_PREFIX,
} from './acl.ts';
import { listen } from './listen.ts';
import { LocalDelivery, localTransport } from './local.ts';
import type { DeviceTransport } from './transport.ts';
import { MQTT_LIMITS, type MqttLimits, PacketGuard, RefusalLog } from './limits.ts';

// The access rule has its own file (acl.ts); importers of the broker keep finding it here.
export {
  identityProblem,
  mqttAclAllows,
  type MqttAuthenticate,
  type MqttGrant,
  type MqttPrincipal,
  type MqttRole,
  SERVICE_TOPIC_PREFIX,
} from './acl.ts';

/** The logger shape we need; a pino or Fastify logger fits. */
export interface MqttLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Demo mode: a busy port moves to the next free one instead of stopping start-up. */
  demo: boolean;
  authenticate: MqttAuthenticate;
  log: MqttLog;
  /** Override the limits of limits.ts (tests use short timeouts). */
  limits?: Partial<MqttLimits>;
  /**
   * Topic filters the node consumes in-process (`transport`): their messages are held,
   * unacknowledged, until it attaches, instead of being acknowledged to nobody.
   */
  consumedTopics?: string[];
}

export interface EmbeddedBroker {
  /** mqtt://host:port for in-process clients (a wildcard host becomes loopback). */
  readonly url: string;
  readonly port: number;
  /** True when demo mode moved off a busy port. */
  readonly moved: boolean;
  /** The node's own transport: device messages from Aedes' publish path, commands through its API. */
  readonly transport: DeviceTransport;
  /** Disconnect every client and stop listening. */
  close(): Promise<void>;
  connectedClients(): number;
  /**
   * Drop the client connected under this client id when `revoked` says its login no
   * longer holds (its credential was rotated or its locker retired). Its Last Will goes
   * out as for any lost connection; the cloud reads it by connectionId. True when one was dropped.
   */
  disconnect(clientId: string, revoked: (who: MqttPrincipal) => boolean, reason: string): boolean;
}

/** CONNACK return codes of MQTT 3.1.1. */
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The broker's in-process message bus. Aedes' default bounds deliveries in flight at 100
 * and queues the rest; a queue of thousands (10,000 lockers dropping at once, each with a
 * will and a `$SYS` notice) drains by synchronous recursion and overflows the stack,
 * killing the node (seen at the end of the 10,000-locker fleet bench; mcollina/mqemitter#204).
 * Unbounded (`concurrency: 0`) nothing is ever queued, so nothing recurses; the burst's
 * memory is bounded by the connections that caused it.
 */
export function brokerBus(): mqemitter.MQEmitter {
  return mqemitter({ concurrency: 0, matchEmptyLevels: true }); // matchEmptyLevels: MQTT-4.7.1-3, as Aedes sets it
}

/** Start Aedes on a TCP server with Nagle's algorithm off (see DESIGN.md: 44–88 ms per round trip otherwise). */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { log } = opts;
  const limits: MqttLimits = { ...MQTT_LIMITS, ...opts.limits };
  const refusals = new RefusalLog((obj, msg) => log.warn(obj, msg));
  const principals = new WeakMap<Client, MqttPrincipal>();
  // Sockets that have not logged in yet, each with its deadline; see limits.ts.
  const pending = new Map<net.Socket, NodeJS.Timeout>();
  const guards = new WeakMap<net.Socket, PacketGuard>();
  const wills = new WeakMap<Client, ConnectPacket['will']>();
  const local = new LocalDelivery(opts.consumedTopics ?? []);

  const aedes = await Aedes.createBroker({
    mq: brokerBus(),
    concurrency: 0,
    // Ours (below) covers the whole login and logs; Aedes' only the CONNECT's arrival, as a backstop.
    connectTimeout: limits.connectTimeoutMs + 1000,
    drainTimeout: 30_000,
    // The will is only on the CONNECT packet; keep it for the check in authenticate.
    preConnect: (client, packet, done) => {
      wills.set(client, packet.will);
      done(null, true);
    },
    authenticate: (client, username, password, done) => {
      const clientId = client.id;
      const refuse = (returnCode: number, reason: string) => {
        log.warn({ clientId, username, reason }, 'mqtt connection refused');
        done(refusal(returnCode, reason), false);
      };
      if (!username || !password)
        return refuse(BAD_USERNAME_OR_PASSWORD, 'no username or password');
      // Through a promise chain, so even a synchronous throw becomes a refusal, not a crash.
      Promise.resolve()
        .then(() => opts.authenticate(username, password, clientId))
        .then(
          (grant) => {
            if (!grant) return refuse(BAD_USERNAME_OR_PASSWORD, 'bad username or password');
            const { role } = grant;
            const problem = identityProblem(role, username, clientId);
            if (problem) return refuse(IDENTIFIER_REJECTED, problem);
            const principal: MqttPrincipal = {
              role,
              username,
              ...(grant.credential !== undefined ? { credential: grant.credential } : {}),
            };
            const will = wills.get(client);
            if (will && !mqttAclAllows(principal, 'publish', will.topic))
              return refuse(NOT_AUTHORIZED, `last will topic ${will.topic} is not allowed`);
            principals.set(client, principal);
            loggedIn(client.conn as net.Socket);
            log.debug({ clientId, role }, 'mqtt client authenticated');
            done(null, true);
          },
          (err: unknown) => {
            log.error(
              { clientId, username, err: String(err) },
              'mqtt authentication failed with an error',
            );
            done(refusal(SERVER_UNAVAILABLE, 'authentication is unavailable'), false);
          },
        );
    },
    authorizePublish: (client, packet, done) => {
      // client is null for a will left by a broker instance that died; it was checked at connect.
      if (client === null)
        return done(
          packet.topic.startsWith(SERVICE_TOPIC_PREFIX) ? null : new Error('topic not allowed'),
        );
      const who = principals.get(client);
      if (who && mqttAclAllows(who, 'publish', packet.topic)) {
        // The node's messages: the PUBACK (and the onward publish) once its transaction committed.
        const payload = Buffer.isBuffer(packet.payload)
          ? packet.payload
          : Buffer.from(packet.payload);
        if (local.take(packet.topic, payload, done)) return;
        return done(null);
      }
      log.warn(
        { clientId: client.id, topic: packet.topic, reason: "publish outside the client's topics" },
        'mqtt publish refused; disconnecting',
      );
      done(new Error(`publish to ${packet.topic} is not allowed`));
    },
    authorizeSubscribe: (client, sub, done) => {
      const who = principals.get(client);
      if (who && mqttAclAllows(who, 'subscribe', sub.topic)) return done(null, sub);
      log.warn(
        {
          clientId: client.id,
          topic: sub.topic,
          reason: "subscription outside the client's topics",
        },
        'mqtt subscription refused',
      );
      // A refused filter gets SUBACK 0x80; the client stays connected.
      done(null, null);
    },
  });
  aedes.on('clientError', (client, err) =>
    log.debug({ clientId: client.id, err: err.message }, 'mqtt client error'),
  );
  aedes.on('connectionError', (client, err) =>
    log.debug({ clientId: client.id, err: err.message }, 'mqtt connection error'),
  );

  /** The socket logged in: its deadline ends and it may send packets up to the full size. */
  function loggedIn(socket: net.Socket): void {
    clearTimeout(pending.get(socket));
    pending.delete(socket);
    const guard = guards.get(socket);
    if (guard) guard.authenticated = true;
  }

  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    if (pending.size >= limits.maxPendingConnections) {
      refusals.note('too many connections not logged in', {
        remote,
        pending: pending.size,
        limit: limits.maxPendingConnections,
      });
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const cut = (kind: string, detail: object) => {
      refusals.note(kind, { remote, ...detail });
      socket.destroy();
    };
    pending.set(
      socket,
      setTimeout(
        () => cut('no login in time', { timeoutMs: limits.connectTimeoutMs }),
        limits.connectTimeoutMs,
      ),
    );
    socket.on('close', () => {
      sockets.delete(socket);
      clearTimeout(pending.get(socket));
      pending.delete(socket);
    });
    aedes.handle(socket);
    // Added after Aedes' 'readable' listener, so this observes (in paused mode) exactly the
    // chunks Aedes reads, just before it parses them; it never makes the socket flow.
    const guard = new PacketGuard(limits);
    guards.set(socket, guard);
    socket.on('data', (chunk: Buffer) => {
      if (socket.destroyed) return;
      const verdict = guard.feed(chunk);
      if (verdict) cut(guard.authenticated ? 'packet too large' : 'too much before login', verdict);
    });
  });

  let bound: { port: number; moved: boolean };
  try {
    bound = await listen(server, opts);
  } catch (e) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw e;
  }

  const connectHost =
    opts.host === '0.0.0.0' || opts.host === '::' || opts.host === '' ? '127.0.0.1' : opts.host;
  const url = `mqtt://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${bound.port}`;
  let closing: Promise<void> | null = null;

  return {
    url,
    port: bound.port,
    moved: bound.moved,
    connectedClients: () => aedes.connectedClients,
    transport: localTransport(aedes, local),
    disconnect: (clientId, revoked, reason) => {
      // Aedes keeps its registered clients by id (untyped in its .d.ts).
      const client = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[
        clientId
      ];
      const who = client ? principals.get(client) : undefined;
      if (!client || !who || !revoked(who)) return false;
      log.warn(
        { clientId, username: who.username, reason },
        'mqtt client disconnected: its login was revoked',
      );
      client.close();
      return true;
    },
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        local.close();
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        // Sockets that never sent CONNECT are not Aedes clients yet; do not wait for their timeout.
        for (const s of sockets) s.destroy();
        await stopped;
      })();
      return closing;
    },
  };
}
