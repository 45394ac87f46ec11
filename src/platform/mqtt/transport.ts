/**
 * How the node reaches its lockers, whichever broker carries the messages: the embedded
 * broker in-process (local.ts) or an external one through an mqtt.js client (acks.ts).
 * The lockers runtime sees only this.
 */
import type { MqttClient } from 'mqtt';
import { type AckedHandler, consumeWithAcks } from './acks.ts';

export interface DeviceConsumer {
  /** Stop taking new messages; what arrives after waits (unacknowledged) for a consumer or goes to another node. */
  stop(): Promise<void>;
  /** Let go of the handler, once the messages already received have been handled. */
  release(): void;
}

export interface DeviceTransport {
  /** 'in-process' (the embedded broker) or 'client' (an external broker), for logs and tests. */
  readonly kind: 'in-process' | 'client';
  /** Publish to a device at QoS 1; resolves once the broker has taken the message. */
  publish(topic: string, payload: string | Buffer): Promise<void>;
  /** Hand every message on these filters to `handler`, each with its ack (after commit) and nack. */
  consume(filters: string[], handler: AckedHandler): Promise<DeviceConsumer>;
}

/** The transport of a node on an external broker (Mosquitto, EMQX): its mqtt.js client. */
export function clientTransport(client: MqttClient): DeviceTransport {
  return {
    kind: 'client',
    publish: async (topic, payload) => {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    consume: async (filters, handler) => {
      const release = consumeWithAcks(client, handler);
      await client.subscribeAsync(filters, { qos: 1 });
      return {
        // Unsubscribe before letting go of the handler: mqtt.js' own handling acknowledges every message it
        // receives, so one that arrived after the handler was removed would be lost. With shared subscriptions
        // the broker now deals this node's share to the others (a rolling restart loses nothing).
        stop: async () => {
          if (client.connected) await client.unsubscribeAsync(filters);
        },
        release,
      };
    },
  };
}
