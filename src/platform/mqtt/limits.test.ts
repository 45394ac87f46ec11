/** Issue 13, finding 9: one socket must not be able to make the embedded broker buffer what it likes, or wait forever. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { lockerTopic } from '../../contract/topics.ts';
import { type EmbeddedBroker, type MqttLog, startEmbeddedBroker } from './broker.ts';
import { connectMqtt } from './client.ts';
import { MQTT_LIMITS, PacketGuard, RefusalLog } from './limits.ts';

function memoryLog(): MqttLog & {
  entries: { level: string; obj: Record<string, unknown>; msg?: string }[];
} {
  const entries: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void entries.push({
      level,
      obj: obj as Record<string, unknown>,
      ...(msg !== undefined ? { msg } : {}),
    });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The MQTT remaining-length encoding (1–4 bytes of 7 bits). */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const MiB = 1024 * 1024;

/** Open a raw TCP socket and resolve once connected. */
function rawSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', () => {}); // a reset by the broker is the expected end
    s.once('error', reject);
  });
}

const closed = (s: net.Socket) =>
  new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

describe('PacketGuard', () => {
  const limits = { maxPacketBytes: 1000, maxUnauthenticatedBytes: 100 };

  it('follows packet boundaries across chunks and refuses a declared length over the limit before reading it', () => {
    const g = new PacketGuard(limits);
    // A 10-byte CONNECT split mid-header, then mid-body.
    expect(g.feed(Uint8Array.from([0x10]))).toBeNull();
    expect(g.feed(Uint8Array.from([10, 1, 2, 3]))).toBeNull();
    expect(g.feed(Uint8Array.from([4, 5, 6, 7, 8, 9, 10]))).toBeNull();
    g.authenticated = true;
    // Two packets in one chunk: a 500-byte PUBLISH header and its body, then a PINGREQ.
    expect(
      g.feed(Uint8Array.from([0x30, ...varint(500), ...new Array(500).fill(0), 0xc0, 0])),
    ).toBeNull();
    expect(g.feed(Uint8Array.from([0x30, ...varint(1001)]))).toMatchObject({ declaredBytes: 1001 });
  });

  it('allows less before logging in, in all and per packet, and refuses a malformed length', () => {
    expect(new PacketGuard(limits).feed(Uint8Array.from([0x10, ...varint(101)]))).toMatchObject({
      reason: expect.stringMatching(/before logging in/),
    });
    expect(new PacketGuard(limits).feed(new Uint8Array(101))).toMatchObject({
      reason: expect.stringMatching(/more than 100 bytes before logging in/),
    });
    const g = new PacketGuard(limits);
    g.authenticated = true;
    expect(g.feed(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({
      reason: 'malformed remaining length',
    });
  });

  it('keeps the largest contract message (the payload limit with a topic) under the broker limit', () => {
    expect(MQTT_LIMITS.maxPacketBytes).toBeGreaterThanOrEqual(256 * 1024 + 2 + 100);
    expect(MQTT_LIMITS.maxPacketBytes).toBeLessThan(1 * MiB);
  });
});

describe('RefusalLog', () => {
  it('logs the first refusal of a kind at once and sums the rest per interval', () => {
    const lines: object[] = [];
    let now = 0;
    const log = new RefusalLog(
      (obj) => lines.push(obj),
      1000,
      () => now,
    );
    for (let i = 0; i < 50; i++) log.note('flood', {});
    now = 1500;
    log.note('flood', {});
    expect(lines).toEqual([{ kind: 'flood' }, { kind: 'flood', alsoRefusedSinceLastLine: 49 }]);
  });
});

describe('embedded broker limits', () => {
  let broker: EmbeddedBroker | undefined;
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await broker?.close();
    broker = undefined;
  });
  const start = async (
    log: MqttLog,
    limits: Parameters<typeof startEmbeddedBroker>[0]['limits'] = {},
  ) => {
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log,
      limits,
      authenticate: async (u, p) =>
        p.toString() === 'pw' ? { role: u === 'antnest-cloud' ? 'service' : 'device' } : null,
    });
    return broker;
  };

  it('cuts a socket that declares a 100 MiB CONNECT on its first bytes, without buffering it', async () => {
    const log = memoryLog();
    const b = await start(log);
    const s = await rawSocket(b.port);
    sockets.push(s);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const declared = 100 * MiB;
    const t0 = Date.now();
    // The header declares 100 MiB; the body follows as fast as the broker reads it, one 1 MiB buffer reused.
    const zeros = Buffer.alloc(MiB);
    let written = 0;
    const end = closed(s);
    let open = true;
    void end.then(() => (open = false));
    s.write(Buffer.from([0x10, ...varint(declared)]));
    while (open && written < declared) {
      const more = s.write(zeros);
      written += MiB;
      if (!more) await Promise.race([new Promise((r) => s.once('drain', r)), end]);
    }
    await end;
    const tookMs = Date.now() - t0;
    const grewMiB = (process.memoryUsage().rss - rssBefore) / MiB;
    // Without the guard Aedes reads all 100 MiB into one buffer list first (RSS +100 MB, measured 235 → 333 MB).
    expect(written, 'bytes the broker accepted before cutting the socket').toBeLessThan(16 * MiB);
    expect(tookMs).toBeLessThan(3000);
    expect(grewMiB).toBeLessThan(40);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'mqtt connection refused before login',
        obj: expect.objectContaining({ declaredBytes: declared }),
      }),
    );
  });

  it('closes sockets that never finish CONNECT after the connect timeout, and says so', async () => {
    const log = memoryLog();
    const b = await start(log, { connectTimeoutMs: 300 });
    const silent = await rawSocket(b.port);
    const trickle = await rawSocket(b.port);
    sockets.push(silent, trickle);
    trickle.write(Buffer.from([0x10, 40, 0, 4])); // a CONNECT that never completes
    const t0 = Date.now();
    await Promise.all([closed(silent), closed(trickle)]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(
      log.entries.some(
        (e) =>
          e.msg === 'mqtt connection refused before login' && e.obj['kind'] === 'no login in time',
      ),
    ).toBe(true);
  });

  it('refuses sockets beyond the cap on connections not logged in, and serves clients again once they clear', async () => {
    const log = memoryLog();
    const b = await start(log, { maxPendingConnections: 3, connectTimeoutMs: 400 });
    const idle = await Promise.all([1, 2, 3].map(() => rawSocket(b.port)));
    sockets.push(...idle);
    await new Promise((r) => setTimeout(r, 50)); // the broker has accepted all three
    const extra = await rawSocket(b.port);
    sockets.push(extra);
    await closed(extra);
    expect(log.entries.some((e) => e.obj['kind'] === 'too many connections not logged in')).toBe(
      true,
    );
    await Promise.all(idle.map(closed)); // the connect timeout frees the slots
    const c = await connectMqtt({
      url: b.url,
      username: 'lk-001',
      password: 'pw',
      clientId: 'lk-001',
      log,
      connectTimeoutMs: 3000,
    });
    await c.endAsync(true);
  });

  it('lets a logged-in locker send the largest contract message, and disconnects one sending a packet over the limit', async () => {
    const log = memoryLog();
    const b = await start(log);
    const cloud = await connectMqtt({
      url: b.url,
      username: 'antnest-cloud',
      password: 'pw',
      clientId: 'antnest-cloud-1',
      log,
      connectTimeoutMs: 3000,
    });
    const got: number[] = [];
    cloud.on('message', (_t, p) => got.push(p.length));
    await cloud.subscribeAsync(lockerTopic('lk-001', 'evt'), { qos: 1 });
    const device = await connectMqtt({
      url: b.url,
      username: 'lk-001',
      password: 'pw',
      clientId: 'lk-001',
      log,
      connectTimeoutMs: 3000,
    });
    await device.publishAsync(lockerTopic('lk-001', 'evt'), Buffer.alloc(256 * 1024, 0x20), {
      qos: 1,
    });
    await expect.poll(() => got).toEqual([256 * 1024]);
    const cut = new Promise<void>((r) => device.once('close', () => r()));
    device.publish(lockerTopic('lk-001', 'evt'), Buffer.alloc(MQTT_LIMITS.maxPacketBytes, 0x20), {
      qos: 0,
    });
    await cut;
    device.end(true);
    expect(log.entries.some((e) => e.obj['kind'] === 'packet too large')).toBe(true);
    await cloud.endAsync(true);
  });
});
