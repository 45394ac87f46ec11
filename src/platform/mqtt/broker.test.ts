import net from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allLockersFilter, lockerTopic } from '../../contract/topics.ts';
import { ConfigError } from '../../config.ts';
import {
  brokerBus,
  type EmbeddedBroker,
  identityProblem,
  type MqttLog,
  mqttAclAllows,
  startEmbeddedBroker,
} from './broker.ts';
import { connectMqtt } from './client.ts';

const PASSWORDS: Record<string, { password: string; role: 'device' | 'service' }> = {
  'lk-001': { password: 'secret-one', role: 'device' },
  'lk-002': { password: 'secret-two', role: 'device' },
  'antnest-cloud': { password: 'service-secret', role: 'service' },
};

/** A logger that keeps every entry, to assert on reasons (and on what is never logged). */
function memoryLog(): MqttLog & { entries: { level: string; obj: object; msg?: string }[] } {
  const entries: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void entries.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The QoS the broker granted each filter (128 = refused; mqtt.js rejects the promise then). */
async function granted(client: MqttClient, filters: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const f of filters)
    out.push(
      await client.subscribeAsync(f, { qos: 1 }).then(
        (g) => g[0]!.qos,
        () => 128,
      ),
    );
  return out;
}

describe('the broker bus', () => {
  // With Aedes' default (100 in flight, the rest queued) this burst drains by synchronous
  // recursion and throws "Maximum call stack size exceeded" from a timer, killing the process.
  it('takes a burst of thousands of messages behind slow deliveries without recursing', async () => {
    const bus = brokerBus();
    bus.on('slow/#', (_m, done) => void setTimeout(done, 5));
    let delivered = 0;
    for (let i = 0; i < 100; i++) bus.emit({ topic: 'slow/x' }, () => delivered++);
    for (let i = 0; i < 20_000; i++) bus.emit({ topic: 'nobody/listens' }, () => delivered++);
    await expect.poll(() => delivered, { timeout: 2000 }).toBe(20_100);
    expect(bus.current).toBe(0);
  });
});

describe('embedded MQTT broker', () => {
  const log = memoryLog();
  const clients: MqttClient[] = [];
  let broker: EmbeddedBroker;

  const connectAs = async (
    username: string,
    opts: {
      clientId?: string;
      password?: string;
      will?: { topic: string; payload: Buffer; qos: 1; retain: boolean };
    } = {},
  ) => {
    const c = await connectMqtt({
      url: broker.url,
      username,
      password: opts.password ?? PASSWORDS[username]?.password ?? 'x',
      clientId: opts.clientId ?? username,
      ...(opts.will ? { will: opts.will } : {}),
      log,
      connectTimeoutMs: 3000,
    });
    clients.push(c);
    return c;
  };
  const service = (suffix: string) =>
    connectAs('antnest-cloud', { clientId: `antnest-cloud-${suffix}` });

  beforeAll(async () => {
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log,
      authenticate: async (username, password) => {
        const p = PASSWORDS[username];
        return p && p.password === password.toString('utf8') ? { role: p.role } : null;
      },
    });
  });

  // Clients reconnect by themselves; left running, two with the same device id would keep
  // taking each other's session over. Each test starts with nobody connected.
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await expect.poll(() => broker.connectedClients()).toBe(0);
  });

  afterAll(async () => {
    await broker.close();
  });

  it('lets a device publish its own events to the cloud', async () => {
    const cloud = await service('a');
    const got: string[] = [];
    cloud.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await cloud.subscribeAsync(allLockersFilter('evt'), { qos: 1 });
    const device = await connectAs('lk-001');
    await device.publishAsync(lockerTopic('lk-001', 'evt'), 'hello', { qos: 1 });
    await expect.poll(() => got).toContain('antnest/v1/lockers/lk-001/evt hello');
  });

  it("disconnects a device that publishes to another locker's topic, and nobody receives it", async () => {
    const cloud = await service('b');
    const got: string[] = [];
    cloud.on('message', (topic) => got.push(topic));
    await cloud.subscribeAsync('antnest/#', { qos: 1 });
    const device = await connectAs('lk-001');
    const closed = new Promise<void>((r) => device.once('close', () => r()));
    device.publish(lockerTopic('lk-002', 'evt'), 'forged', { qos: 1 });
    await closed;
    device.end(true); // no automatic reconnect competing for the same client id
    // Publishing to its own cmd topic (cloud → device only) is refused too.
    const again = await connectAs('lk-001');
    const closedAgain = new Promise<void>((r) => again.once('close', () => r()));
    again.publish(lockerTopic('lk-001', 'cmd'), 'self-command', { qos: 0 });
    await closedAgain;
    await sleep(100);
    expect(got).not.toContain(lockerTopic('lk-002', 'evt'));
    expect(got).not.toContain(lockerTopic('lk-001', 'cmd'));
    expect(
      log.entries.some(
        (e) =>
          e.msg === 'mqtt publish refused; disconnecting' &&
          (e.obj as { topic?: string }).topic === lockerTopic('lk-002', 'evt'),
      ),
    ).toBe(true);
  });

  it("refuses a device's subscription to another locker's commands (and to wildcards)", async () => {
    const device = await connectAs('lk-002');
    const got: string[] = [];
    device.on('message', (topic) => got.push(topic));
    expect(
      await granted(device, [
        lockerTopic('lk-001', 'cmd'),
        'antnest/v1/lockers/+/cmd',
        '#',
        lockerTopic('lk-002', 'cmd'),
      ]),
    ).toEqual([128, 128, 128, 1]);
    const cloud = await service('c');
    await cloud.publishAsync(lockerTopic('lk-001', 'cmd'), 'for one', { qos: 1 });
    await cloud.publishAsync(lockerTopic('lk-002', 'cmd'), 'for two', { qos: 1 });
    await expect.poll(() => got).toContain(lockerTopic('lk-002', 'cmd'));
    expect(got).not.toContain(lockerTopic('lk-001', 'cmd'));
  });

  it('refuses a device whose client id is not its username, and says why', async () => {
    await expect(connectAs('lk-001', { clientId: 'lk-002' })).rejects.toThrow(
      /refused client "lk-002"/,
    );
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'mqtt connection refused',
        obj: expect.objectContaining({ reason: 'a device must use its username as client id' }),
      }),
    );
    // The service account cannot borrow a device's client id (and so its session) either.
    await expect(connectAs('antnest-cloud', { clientId: 'lk-001' })).rejects.toThrow(/refused/);
  });

  it('refuses a bad password without ever logging it', async () => {
    await expect(connectAs('lk-001', { password: 'guessed-password' })).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(connectAs('nobody', { password: 'guessed-password' })).rejects.toThrow(/refused/);
    expect(
      log.entries.some((e) => (e.obj as { reason?: string }).reason === 'bad username or password'),
    ).toBe(true);
    expect(JSON.stringify(log.entries)).not.toContain('guessed-password');
    expect(JSON.stringify(log.entries)).not.toContain('secret-one');
  });

  it("refuses a last will on another locker's topic, and publishes an allowed one", async () => {
    const forged = {
      topic: lockerTopic('lk-002', 'status'),
      payload: Buffer.from('offline'),
      qos: 1 as const,
      retain: true,
    };
    await expect(connectAs('lk-001', { will: forged })).rejects.toThrow(/Not authorized/i);
    expect(
      log.entries.some((e) => /last will topic/.test((e.obj as { reason?: string }).reason ?? '')),
    ).toBe(true);

    const cloud = await service('d');
    const got: string[] = [];
    cloud.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await cloud.subscribeAsync(allLockersFilter('status'), { qos: 1 });
    const device = await connectAs('lk-001', {
      will: { ...forged, topic: lockerTopic('lk-001', 'status') },
    });
    device.stream.destroy(); // an abrupt loss, so the broker sends the will
    await expect.poll(() => got).toContain('antnest/v1/lockers/lk-001/status offline');
  });

  it('lets the service account use anything under antnest/ and nothing else', async () => {
    const cloud = await service('e');
    expect(
      await granted(cloud, ['antnest/#', '$share/antnest/antnest/v1/lockers/+/evt', '#', '$SYS/#']),
    ).toEqual([1, 1, 128, 128]);
    await cloud.publishAsync('antnest/v1/anything/else', 'ok', { qos: 1 });
    const closed = new Promise<void>((r) => cloud.once('close', () => r()));
    cloud.publish('$SYS/fake', 'no', { qos: 0 });
    await closed;
  });

  it("answers a QoS 1 device ↔ cloud round trip in well under Nagle's 40 ms", async () => {
    const cloud = await service('rtt');
    const device = await connectAs('lk-002');
    await cloud.subscribeAsync(lockerTopic('lk-002', 'evt'), { qos: 1 });
    await device.subscribeAsync(lockerTopic('lk-002', 'cmd'), { qos: 1 });
    // The cloud answers every event with a command, like a pickup → open round trip.
    cloud.on('message', (topic, payload) => {
      if (topic === lockerTopic('lk-002', 'evt'))
        cloud.publish(lockerTopic('lk-002', 'cmd'), payload, { qos: 1 });
    });
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const answered = new Promise<void>((resolve) => {
        const on = (topic: string, payload: Buffer) => {
          if (topic === lockerTopic('lk-002', 'cmd') && payload.toString() === String(i)) {
            device.off('message', on);
            resolve();
          }
        };
        device.on('message', on);
      });
      const t0 = performance.now();
      device.publish(lockerTopic('lk-002', 'evt'), String(i), { qos: 1 });
      await answered;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // ~0.2–2 ms on loopback. Nagle on either side alone makes every round ~44 ms, so the
    // bound is 20 ms, not 50: a half-fixed trap must fail too.
    expect(times[25]!, `median of ${times.map((t) => t.toFixed(1)).join(' ')}`).toBeLessThan(20);
  });

  it('counts connected clients', async () => {
    expect(broker.connectedClients()).toBe(0);
    const c = await connectAs('lk-001');
    await connectAs('antnest-cloud', { clientId: 'antnest-cloud-count' });
    expect(broker.connectedClients()).toBe(2);
    await c.endAsync();
    await expect.poll(() => broker.connectedClients()).toBe(1);
  });
});

describe('embedded broker lifecycle', () => {
  const log = memoryLog();
  const allowAll = async () => ({ role: 'service' as const });

  it('moves to the next free port in demo mode, and names the setting otherwise', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const moved = await startEmbeddedBroker({
        host: '127.0.0.1',
        port: taken,
        demo: true,
        log,
        authenticate: allowAll,
      });
      expect(moved.moved).toBe(true);
      expect(moved.port).toBeGreaterThan(taken);
      expect(moved.url).toBe(`mqtt://127.0.0.1:${moved.port}`);
      await moved.close();

      const err = await startEmbeddedBroker({
        host: '127.0.0.1',
        port: taken,
        demo: false,
        log,
        authenticate: allowAll,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/--mqtt-port \/ MQTT_PORT/);
      expect((err as Error).message).toContain(`port ${taken}`);
    } finally {
      blocker.close();
    }
  });

  it('closes quickly with clients connected and a socket that never sent CONNECT', async () => {
    const b = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log,
      authenticate: allowAll,
    });
    const c = await connectMqtt({
      url: b.url,
      username: 'antnest-cloud',
      password: 'x',
      clientId: 'antnest-cloud-close',
      log,
      connectTimeoutMs: 3000,
    });
    const idle = net.connect({ host: '127.0.0.1', port: b.port });
    await new Promise<void>((r) => idle.once('connect', () => r()));
    const t0 = performance.now();
    await b.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    c.end(true);
    idle.destroy();
  });

  it('reports server unavailable when authentication itself fails', async () => {
    const b = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log,
      authenticate: async () => {
        throw new Error('db down');
      },
    });
    try {
      await expect(
        connectMqtt({
          url: b.url,
          username: 'antnest-cloud',
          password: 'x',
          clientId: 'svc',
          log,
          connectTimeoutMs: 3000,
        }),
      ).rejects.toThrow(/Server unavailable/i);
      expect(
        log.entries.some(
          (e) => e.level === 'error' && e.msg === 'mqtt authentication failed with an error',
        ),
      ).toBe(true);
    } finally {
      await b.close();
    }
  });
});

describe('access rule', () => {
  const device = { role: 'device', username: 'lk-001' } as const;
  const cloud = { role: 'service', username: 'antnest-cloud' } as const;

  it('confines a device to its own topics', () => {
    for (const kind of ['res', 'evt', 'state', 'status'] as const)
      expect(mqttAclAllows(device, 'publish', lockerTopic('lk-001', kind))).toBe(true);
    expect(mqttAclAllows(device, 'publish', lockerTopic('lk-001', 'cmd'))).toBe(false);
    expect(mqttAclAllows(device, 'publish', lockerTopic('lk-002', 'evt'))).toBe(false);
    expect(mqttAclAllows(device, 'subscribe', lockerTopic('lk-001', 'cmd'))).toBe(true);
    expect(mqttAclAllows(device, 'subscribe', lockerTopic('lk-001', 'evt'))).toBe(false);
    expect(mqttAclAllows(device, 'subscribe', 'antnest/v1/lockers/lk-001/#')).toBe(false);
    expect(
      mqttAclAllows(
        { role: 'device', username: 'antnest-cloud' },
        'publish',
        lockerTopic('lk-001', 'evt'),
      ),
    ).toBe(false);
  });

  it('gives the service account antnest/ only', () => {
    expect(mqttAclAllows(cloud, 'publish', lockerTopic('lk-001', 'cmd'))).toBe(true);
    expect(mqttAclAllows(cloud, 'subscribe', '$share/g1/antnest/v1/lockers/+/evt')).toBe(true);
    expect(mqttAclAllows(cloud, 'publish', '$share/g1/antnest/x')).toBe(false);
    expect(mqttAclAllows(cloud, 'subscribe', '$share/g1/#')).toBe(false);
    expect(mqttAclAllows(cloud, 'publish', '$SYS/broker')).toBe(false);
  });

  it('ties a device to its own client id', () => {
    expect(identityProblem('device', 'lk-001', 'lk-001')).toBeNull();
    expect(identityProblem('device', 'lk-001', 'lk-002')).toMatch(/client id/);
    expect(identityProblem('device', 'antnest-cloud', 'antnest-cloud')).toMatch(/username/);
    expect(identityProblem('service', 'antnest-cloud', 'antnest-cloud-node1')).toBeNull();
    expect(identityProblem('service', 'antnest-cloud', 'lk-001')).toMatch(/locker client id/);
  });
});
