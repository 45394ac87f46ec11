/**
 * The Link port over MQTT (mqtt.js 5): persistent session (clean: false, fixed client
 * id), QoS 1 everywhere, Last Will on the retained status topic, TCP_NODELAY on every
 * connection (without it each QoS 1 round trip costs 40–90 ms; DESIGN.md).
 *
 * What goes out unacknowledged is the outbox's to resend, not mqtt.js': a publish still in
 * flight when its connection closes fails, and the next connection starts with nothing of
 * the old one's (see the 'close' handler).
 */
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import type { Link, LinkHandlers, WillFactory } from '../ports/link.ts';

/** Options of the MQTT link. */
export interface MqttLinkOptions {
  url: string;
  clientId: string;
  username: string;
  password: string;
  /** The topic filter to subscribe to (the locker's cmd topic). */
  subscribe: string;
  /** Builds the Last Will; called before every (re)connect so each connection gets its own. */
  will: WillFactory;
  reconnectPeriodMs?: number;
  keepaliveSeconds?: number;
  connectTimeoutMs?: number;
  /** The broker refused a CONNECT (bad credentials, an auth hook down); called once per streak of refusals. */
  onRefused?: (reason: string) => void;
  /** SUBSCRIBE_PATIENCE_MS unless a test says otherwise. */
  subscribePatienceMs?: number;
  /** A connection's subscription was refused or not confirmed in time; the connection is being made again. */
  onSubscribeLost?: (reason: string) => void;
}

/**
 * How long a connection may wait for the SUBACK of its command subscription before it is
 * dropped and made again (real time). The link is not up until then, so nothing is sent on
 * it: a SUBSCRIBE or SUBACK lost on a connection that stays alive (pings still answered)
 * would otherwise keep every fact of the locker at home for as long as the connection lives
 * (the load scenario's lossy network found it: facts six minutes late, parcels put in after
 * their reservations had run out).
 */
export const SUBSCRIBE_PATIENCE_MS = 10_000;

/** Link adapter on mqtt.js. */
export class MqttLink implements Link {
  /**
   * Application messages every link in this process has carried (PUBACKs and pings not
   * counted): what a locker's board, or a simulated fleet, puts on the wire. The benchmark
   * reads it to count the broker messages a parcel cycle really costs.
   */
  static readonly traffic = {
    published: 0,
    received: 0,
    /** The same by direction and the topic's last part (`out:evt`, `in:cmd`). */
    byKind: {} as Record<string, number>,
  };

  private static count(dir: 'out' | 'in', topic: string): void {
    const t = MqttLink.traffic;
    if (dir === 'out') t.published++;
    else t.received++;
    const k = `${dir}:${topic.slice(topic.lastIndexOf('/') + 1)}`;
    t.byKind[k] = (t.byKind[k] ?? 0) + 1;
  }

  private client: MqttClient | undefined;
  private handlers: LinkHandlers | undefined;
  private up = false;

  constructor(private readonly opts: MqttLinkOptions) {}

  start(handlers: LinkHandlers): void {
    if (this.client) throw new Error('link already started');
    this.handlers = handlers;
    const will = this.opts.will();
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.clientId,
      username: this.opts.username,
      password: this.opts.password,
      clean: false,
      protocolVersion: 4,
      keepalive: this.opts.keepaliveSeconds ?? 30,
      reconnectPeriod: this.opts.reconnectPeriodMs ?? 2000,
      connectTimeout: this.opts.connectTimeoutMs ?? 10_000,
      // mqtt.js gives up for good after one refused CONNECT; a locker has nobody to restart it,
      // and the refusal may be an auth hook briefly down during a cloud deploy. Keep trying.
      reconnectOnConnackError: true,
      // We subscribe on every connect ourselves and call the link up only on the SUBACK. mqtt.js'
      // own resubscribe trusts the CONNACK's "session present", and then skips our SUBSCRIBE
      // too; Mosquitto says "present" once a CONNECT got through even if the SUBSCRIBE never
      // did, and the locker would stay deaf to commands (mqtt-link.test.ts).
      resubscribe: false,
      will: { topic: will.topic, payload: will.payload, qos: 1, retain: true },
    });
    this.client = client;
    client.on('reconnect', () => {
      const w = this.opts.will();
      if (client.options.will)
        client.options.will = { ...client.options.will, topic: w.topic, payload: w.payload };
    });
    let connection = 0;
    client.on('connect', () => {
      refusing = false;
      const mine = ++connection;
      const stream = client.stream as Socket | undefined;
      stream?.setNoDelay?.(true);
      const patienceMs = this.opts.subscribePatienceMs ?? SUBSCRIBE_PATIENCE_MS;
      const patience = setTimeout(() => {
        if (mine !== connection || this.up || this.client !== client || !client.connected) return;
        this.opts.onSubscribeLost?.(`not confirmed within ${patienceMs} ms`);
        stream?.destroy();
      }, patienceMs);
      patience.unref?.();
      client.subscribe(this.opts.subscribe, { qos: 1 }, (err) => {
        clearTimeout(patience);
        // An answer for an earlier connection (mqtt.js flushes those on close) says nothing about this one.
        if (mine !== connection || !client.connected || this.client !== client) return;
        if (err) {
          // Refused (an ACL hook briefly failing during a cloud deploy): a deaf locker must not
          // stay connected; the reconnect period paces the next try.
          this.opts.onSubscribeLost?.(err.message);
          stream?.destroy();
          return;
        }
        this.up = true;
        this.handlers?.onUp();
      });
    });
    client.on('close', () => {
      // Publishes still waiting for their PUBACK fail now ("Message removed"), and leave mqtt.js'
      // store with them: the outbox sends them again once the next connection is up. mqtt.js'
      // own resend went one message per round trip and emitted `connect` only once every one was
      // acknowledged, so one of them lost on the way kept the link down for as long as the
      // connection lived, the locker's facts waiting (the load scenario: facts six minutes late).
      for (const [id, pending] of Object.entries(client.outgoing))
        if (pending.cmd === 'publish') client.removeOutgoingMessage(Number(id));
      this.markDown();
    });
    client.on('offline', () => this.markDown());
    let refusing = false;
    client.on('error', (err) => {
      // Connection errors are retried by reconnectPeriod, and so are refusals (above).
      if ('code' in err && typeof err.code === 'number' && !refusing) {
        refusing = true;
        this.opts.onRefused?.(err.message);
      }
    });
    // The 'message' event fires before mqtt.js sends the PUBACK, so whatever onMessage
    // records synchronously is durable before the broker forgets the command.
    client.on('message', (topic, payload) => {
      MqttLink.count('in', topic);
      this.handlers?.onMessage(topic, payload);
    });
  }

  connected(): boolean {
    return this.up && this.client?.connected === true;
  }

  publish(topic: string, payload: Buffer | string, opts: { retain?: boolean } = {}): Promise<void> {
    const client = this.client;
    if (!client || !this.connected()) return Promise.reject(new Error('not connected'));
    MqttLink.count('out', topic);
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: 1, retain: opts.retain ?? false }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }

  drop(): void {
    this.client?.stream?.destroy();
  }

  async stop(farewell?: { topic: string; payload: Buffer }): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (farewell && this.connected()) {
      await Promise.race([
        this.publish(farewell.topic, farewell.payload, { retain: true }).catch(() => {}),
        new Promise((r) => setTimeout(r, 2000).unref()),
      ]);
    }
    // A clean end waits for in-flight publishes; offline they never complete, so then force it.
    const force = !client.connected;
    this.up = false;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => client.end(true, {}, () => resolve()), 2000);
      t.unref();
      client.end(force, {}, () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.client = undefined;
  }

  kill(): void {
    const client = this.client;
    if (!client) return;
    this.up = false;
    this.handlers = undefined;
    client.removeAllListeners('message');
    // end(true) closes without sending DISCONNECT: to the broker this is a dead socket, so it sends the Will.
    client.end(true);
    client.stream?.destroy();
    this.client = undefined;
  }

  private markDown(): void {
    if (!this.up) return;
    this.up = false;
    this.handlers?.onDown();
  }
}
