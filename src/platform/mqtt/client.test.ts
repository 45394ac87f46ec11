import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type EmbeddedBroker, type MqttLog, startEmbeddedBroker } from './broker.ts';
import { connectMqtt, serviceCredentials } from './client.ts';

const quiet: MqttLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const key = Buffer.alloc(32, 7);

describe('connectMqtt', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
    vi.restoreAllMocks();
  });

  const broker = async (port = 0): Promise<EmbeddedBroker> => {
    const creds = serviceCredentials(key);
    const b = await startEmbeddedBroker({
      host: '127.0.0.1',
      port,
      demo: false,
      log: quiet,
      authenticate: async (u, p) =>
        u === creds.username && p.toString() === creds.password
          ? { role: 'service' as const }
          : null,
    });
    cleanup.push(() => b.close());
    return b;
  };

  it('derives the same service credential on every node, and a different one per key', () => {
    expect(serviceCredentials(key)).toEqual(serviceCredentials(Buffer.alloc(32, 7)));
    expect(serviceCredentials(key).username).toBe('antnest-cloud');
    expect(serviceCredentials(key).password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(serviceCredentials(Buffer.alloc(32, 8)).password).not.toBe(
      serviceCredentials(key).password,
    );
  });

  it('rejects with a clear message when nothing listens, after retrying until the timeout', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const t0 = performance.now();
    await expect(
      connectMqtt({
        url: `mqtt://user:pw@127.0.0.1:${port}`,
        clientId: 'c1',
        log: quiet,
        connectTimeoutMs: 1500,
      }),
    ).rejects.toThrow(
      new RegExp(
        `Could not connect to the MQTT broker at mqtt://127\\.0\\.0\\.1:${port}.*within 2 s.*ECONNREFUSED`,
      ),
    );
    expect(performance.now() - t0).toBeGreaterThan(1400);
  });

  it('rejects at once when the broker refuses the credentials', async () => {
    const b = await broker();
    const t0 = performance.now();
    await expect(
      connectMqtt({
        url: b.url,
        username: 'antnest-cloud',
        password: 'wrong',
        clientId: 'c2',
        log: quiet,
        connectTimeoutMs: 5000,
      }),
    ).rejects.toThrow(/refused client "c2"/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('turns Nagle off on the first connect and again on every reconnect', async () => {
    const spy = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const first = await broker();
    const client = await connectMqtt({
      url: first.url,
      ...serviceCredentials(key),
      clientId: 'c3',
      log: quiet,
      connectTimeoutMs: 3000,
    });
    cleanup.push(() => void client.end(true));
    const noDelayOn = (stream: unknown) =>
      spy.mock.contexts.some((ctx, i) => ctx === stream && spy.mock.calls[i]![0] === true);
    expect(noDelayOn(client.stream)).toBe(true);

    const oldStream = client.stream;
    await first.close();
    await broker(first.port);
    await new Promise<void>((r) => client.once('connect', () => r()));
    expect(client.stream).not.toBe(oldStream);
    expect(noDelayOn(client.stream)).toBe(true);
  });
});
