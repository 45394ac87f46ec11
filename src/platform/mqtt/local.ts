/**
 * The node's own side of the embedded broker, in-process: device messages are handed to
 * the node from Aedes' publish path (no loopback MQTT client, no second parse/serialize
 * and TCP hop per message) and commands are published through Aedes' API.
 *
 * Durable before acknowledged, here too: Aedes writes a QoS 1 PUBACK only once
 * `authorizePublish` has answered, so the answer for a message on a consumed topic waits
 * for the node's `ack` (its transaction committed). A node that dies before the commit
 * takes its broker with it; the device never got the PUBACK and resends the message on its
 * next connection. A `nack` (the transaction failed) closes the device's connection so it
 * resends at once. Aedes reads a connection's next packets only when the ones it holds are
 * answered, so one locker's messages wait for each other (their order is kept) while other
 * lockers' flow. Last Wills take the same path (Aedes authorizes them too) and are published
 * once their effect committed.
 */
import type { Aedes } from 'aedes';
import type { AckedHandler } from './acks.ts';
import type { DeviceTransport } from './transport.ts';

/** Does an MQTT topic filter (`+`, `#`) match a topic? */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Aedes' answer to authorizePublish: null lets the PUBACK and the onward publish go. */
type Answer = (err: Error | null) => void;

interface Held {
  topic: string;
  payload: Buffer;
  answer: Answer;
}

export class LocalDelivery {
  private consumer: { filters: string[]; handler: AckedHandler } | null = null;
  /** Messages on the node's topics that arrived while no consumer was attached (start-up, shutdown). */
  private held: Held[] = [];
  private closed = false;

  /**
   * `filters`: the topics the node will consume; their messages are held (unacknowledged)
   * while no consumer is attached. Without them only an attached consumer's topics are taken.
   */
  constructor(private readonly filters: readonly string[]) {}

  /**
   * Called by authorizePublish once the access rule allowed the message. True when the
   * message is the node's: `answer` is then called after its commit, not now.
   */
  take(topic: string, payload: Buffer, answer: Answer): boolean {
    if (this.closed) return false;
    const ours = (filters: readonly string[]) => filters.some((f) => topicMatches(f, topic));
    if (!ours(this.filters) && !(this.consumer && ours(this.consumer.filters))) return false;
    if (this.consumer) this.hand(this.consumer, { topic, payload, answer });
    else this.held.push({ topic, payload, answer });
    return true;
  }

  /** Start handing the node's messages to `handler`, those held first. Returns the detach. */
  attach(filters: string[], handler: AckedHandler): () => void {
    if (this.consumer) throw new Error('the embedded broker already has an in-process consumer');
    const consumer = { filters, handler };
    this.consumer = consumer;
    const held = this.held;
    this.held = [];
    for (const m of held) this.hand(consumer, m);
    return () => {
      if (this.consumer === consumer) this.consumer = null;
    };
  }

  /** The broker is closing: its connections go, so nothing held can be answered. */
  close(): void {
    this.closed = true;
    this.held = [];
  }

  private hand(consumer: NonNullable<LocalDelivery['consumer']>, m: Held): void {
    // A topic the node holds but this consumer does not want passes as any other.
    if (!consumer.filters.some((f) => topicMatches(f, m.topic))) return m.answer(null);
    let done = false;
    const once = (err: Error | null) => {
      if (done) return;
      done = true;
      // After close the connection is gone; Aedes would only report a write on it as an error.
      if (!this.closed) m.answer(err);
    };
    consumer.handler(
      m.topic,
      m.payload,
      () => once(null),
      (err) =>
        once(
          new Error(
            `not applied (${err instanceof Error ? err.message : String(err)}); the device resends on reconnect`,
          ),
        ),
    );
  }
}

/** The embedded broker's transport for its own node: commands through Aedes' API, messages from `local`. */
export function localTransport(aedes: Aedes, local: LocalDelivery): DeviceTransport {
  return {
    kind: 'in-process',
    publish: (topic, payload) =>
      new Promise<void>((resolve, reject) => {
        const packet = {
          cmd: 'publish' as const,
          topic,
          payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
          qos: 1 as const,
          retain: false,
          dup: false,
        };
        aedes.publish(packet, (err) => (err ? reject(err) : resolve()));
      }),
    consume: async (filters, handler) => {
      const detach = local.attach(filters, handler);
      // Nothing to unsubscribe from: once detached, the node's messages are held again (or pass, without consumedTopics).
      return { stop: async () => detach(), release: () => {} };
    },
  };
}
