/**
 * Acknowledge a QoS 1 message only after its effects are durable. mqtt.js sends the
 * PUBACK as soon as its `message` event has fired, before an async handler's transaction
 * commits: a node that dies in between loses a message the broker believes delivered.
 * Here the consumer gets each message with an `ack` to call after its commit; a message
 * never acknowledged (the node died, the transaction failed) is redelivered by the broker
 * on the session's next connection (or, with shared subscriptions, to another member).
 */
import type { MqttClient } from 'mqtt';

/**
 * Receives one message; call `ack` once its effects have committed (a no-op for QoS 0), or
 * `nack` when they could not be (the transaction failed): the transport then arranges a
 * redelivery its own way. Both transports hand messages over through this one seam: the
 * mqtt.js client below (external brokers) and the embedded broker's in-process delivery
 * (local.ts).
 */
export type AckedHandler = (
  topic: string,
  payload: Buffer,
  ack: () => void,
  nack: (err: unknown) => void,
) => void;

/**
 * Given to mqtt.js' per-message callback so it skips its own PUBACK. mqtt.js then moves on
 * to the next packet without waiting (its packet pump ignores the error), so messages of
 * other lockers keep flowing while this one's transaction runs.
 */
const DEFERRED = Object.freeze(new Error('puback deferred until commit'));

type PubackSender = { _sendPacket(packet: { cmd: 'puback'; messageId: number }): void };

/**
 * Route every PUBLISH the client receives to `handler` with a deferred acknowledgement.
 * Returns a function that restores mqtt.js' own handling (which acks at once).
 * Relies on mqtt.js 5's `handleMessage(packet, callback)` hook (documented) and its
 * `_sendPacket` (not documented; client.acks.test.ts fails if either changes).
 */
export function consumeWithAcks(client: MqttClient, handler: AckedHandler): () => void {
  const original = client.handleMessage.bind(client);
  client.handleMessage = (packet, callback) => {
    if (packet.cmd !== 'publish') return callback();
    const { qos, messageId } = packet;
    // The PUBACK belongs to this connection: after a reconnect the broker redelivers (same
    // packet id reused for another message possibly), so a late ack must not go out on the new one.
    const stream = client.stream;
    let done = false;
    const ack = () => {
      if (done || qos !== 1 || messageId === undefined) return;
      done = true;
      if (client.stream !== stream || !client.connected) return;
      (client as unknown as PubackSender)._sendPacket({ cmd: 'puback', messageId });
    };
    const payload =
      typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // Not acknowledging is all a client can do: the broker redelivers on the session's next
    // connection (or to another member of a shared subscription).
    handler(packet.topic, payload, ack, () => {});
    callback(qos === 1 ? DEFERRED : undefined);
  };
  return () => {
    client.handleMessage = original;
  };
}
