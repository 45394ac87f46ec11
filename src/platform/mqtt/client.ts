/**
 * MQTT connections made by antnest itself (the cloud's service client, the demo fleet),
 * with Nagle's algorithm off on every (re)connect and a first connect that fails loudly.
 */
import { createHmac } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { MqttLog } from './broker.ts';

/** The MQTT username of the cloud's own clients (every API node). */
export const SERVICE_USERNAME = 'antnest-cloud';

/** The service account's credentials, derived from the token key so every node agrees without extra config. */
export function serviceCredentials(tokenKey: Buffer): {
  username: typeof SERVICE_USERNAME;
  password: string;
} {
  return {
    username: SERVICE_USERNAME,
    password: createHmac('sha256', tokenKey).update('mqtt-service-account').digest('base64url'),
  };
}

/** The MQTT client id of an API node: distinct per node (the broker drops the older of two equal ids). */
export function nodeClientId(nodeId: string): string {
  return `${SERVICE_USERNAME}-${nodeId}`;
}

export interface ConnectMqttOptions {
  /** mqtt://, mqtts://, ws:// or wss:// URL of the broker. */
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** false keeps the session (subscriptions and queued QoS 1 messages) across reconnects. Default true. */
  clean?: boolean;
  /** 4 = MQTT 3.1.1 (default; all brokers, including the embedded one), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  will?: IClientOptions['will'];
  log: MqttLog;
  /** How long the first connect may take, retries included. Default 10 s. */
  connectTimeoutMs?: number;
}

/** The URL without credentials, for messages and logs. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(malformed URL)';
  }
}

/**
 * Connect and resolve once the broker accepted us. Unreachable brokers are retried every
 * second until the timeout; a refusal (bad credentials, not authorised) rejects at once.
 * Later disconnects reconnect by themselves every second.
 */
export async function connectMqtt(opts: ConnectMqttOptions): Promise<MqttClient> {
  const { log } = opts;
  const where = safeUrl(opts.url);
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const client = connect(opts.url, {
    clientId: opts.clientId,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    clean: opts.clean ?? true,
    protocolVersion: opts.protocolVersion ?? 4,
    ...(opts.will ? { will: opts.will } : {}),
    keepalive: 30,
    reconnectPeriod: 1_000,
    connectTimeout: Math.min(timeoutMs, 10_000),
    // A refusal after we were once accepted (e.g. an auth hook briefly down) must not stop reconnecting for good.
    reconnectOnConnackError: true,
  });

  // Registered first so it runs before anyone else reacts to 'connect'.
  client.on('connect', () => {
    (client.stream as { setNoDelay?: (on: boolean) => unknown }).setNoDelay?.(true);
  });

  let first = true;
  client.on('error', (err) => {
    if (!first)
      log.warn({ clientId: opts.clientId, broker: where, err: err.message }, 'mqtt client error');
  });
  client.on('offline', () => {
    if (!first)
      log.warn(
        { clientId: opts.clientId, broker: where },
        'mqtt connection lost; reconnecting every second',
      );
  });
  client.on('connect', () => {
    if (!first) log.info({ clientId: opts.clientId, broker: where }, 'mqtt reconnected');
  });

  await new Promise<void>((resolve, reject) => {
    let lastError = '';
    const cleanup = () => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
    };
    const fail = (message: string) => {
      cleanup();
      client.end(true);
      reject(new Error(message));
    };
    const timer = setTimeout(() => {
      fail(
        `Could not connect to the MQTT broker at ${where} within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}. Check that it runs and the URL is right.`,
      );
    }, timeoutMs);
    const onConnect = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error & { code?: unknown }) => {
      // Numeric codes are CONNACK refusals: retrying with the same credentials cannot help.
      if (typeof err.code === 'number')
        fail(`The MQTT broker at ${where} refused client "${opts.clientId}": ${err.message}.`);
      else lastError = err.message;
    };
    client.on('connect', onConnect);
    client.on('error', onError);
  });
  first = false;
  log.debug({ clientId: opts.clientId, broker: where }, 'mqtt connected');
  return client;
}
