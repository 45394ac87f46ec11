/**
 * The connection to the cloud. Adapter: MQTT (mqtt.js, persistent session, QoS 1,
 * Last Will on the status topic).
 */

/** Callbacks the link drives. onMessage runs before the message is acknowledged to the broker. */
export interface LinkHandlers {
  onMessage(topic: string, payload: Buffer): void;
  /** Connected (first time or again), subscriptions in place. */
  onUp(): void;
  onDown(): void;
}

/** The Last Will: what the broker publishes for us if the connection dies. */
export type WillFactory = () => { topic: string; payload: Buffer };

/** The port. */
export interface Link {
  start(handlers: LinkHandlers): void;
  connected(): boolean;
  /** QoS 1 publish; resolves on the broker's acknowledgement, rejects when not connected or on error. */
  publish(topic: string, payload: Buffer | string, opts?: { retain?: boolean }): Promise<void>;
  /** Simulate a network cut: drop the socket; the link reconnects by itself. */
  drop(): void;
  /** Graceful end: publish `farewell` (if given) and disconnect cleanly, so no Last Will is sent. */
  stop(farewell?: { topic: string; payload: Buffer }): Promise<void>;
  /** Crash: destroy the socket with no goodbye (the broker sends the Last Will) and never reconnect. */
  kill(): void;
}
