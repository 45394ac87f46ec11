/**
 * Resource and guessing limits on a real node (OWASP API4): pickup-code guessing hits
 * the cloud's throttle even from a device whose own keypad throttle is bypassed (a
 * tampered locker), the hall counter throttles wrong codes too, and oversized bodies are
 * cut off on the real socket without being read. Slow clients: the timeouts are checked
 * here; the 30-second slowloris run lives in test/faults (npm run test:faults).
 */
import net from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceClientId, deviceUsername, lockerTopic } from '../../src/contract/topics.ts';
import { demoLockerSecret } from '../../src/modules/lockers/provisioning.service.ts';
import { WRONG_CODES_PER_LOCKER } from '../../src/modules/parcels/index.ts';
import { describeEachDialect, TEST_ENV, until } from '../harness.ts';
import { type AbuseWorld, buildAbuseWorld } from './world.ts';

/** Send raw bytes on a fresh socket and return what came back before the server closed it (or timeoutMs). */
export function rawHttp(
  url: string,
  chunks: (string | Buffer)[],
  timeoutMs = 5000,
  gapMs = 0,
): Promise<{ text: string; closedAfterMs: number | null }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let text = '';
    const s = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true });
    const done = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ text, closedAfterMs: closed ? Date.now() - started : null });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('close', () => done(true));
    s.on('error', () => done(true));
    s.on('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) return;
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

describeEachDialect('abuse: guessing and resource limits on a real node', (dialect) => {
  let w: AbuseWorld;
  beforeAll(async () => {
    w = await buildAbuseWorld(dialect);
  }, 180_000);
  afterAll(async () => w?.close());

  it(`pickup codes: after ${WRONG_CODES_PER_LOCKER} wrong codes the cloud refuses every code at that locker, the right one too`, async () => {
    const lockerId = w.agents.qsh.lockerId;
    const [code] = w.secrets.codes;
    await w.agents.qsh.stop();
    // The attacker speaks for the locker itself: no device-side throttle in the way.
    const device = await mqtt.connectAsync(w.server.mqttUrl, {
      clientId: deviceClientId(lockerId),
      username: deviceUsername(lockerId),
      password: demoLockerSecret(Buffer.from(TEST_ENV.ANTNEST_TOKEN_KEY, 'base64'), lockerId),
      reconnectPeriod: 0,
    });
    const answers = new Map<string, { type: string; outcome?: string }>();
    device.on('message', (_t, p) => {
      const c = JSON.parse(p.toString());
      if (c.screenRequestId) answers.set(c.screenRequestId, c);
    });
    await device.subscribeAsync(lockerTopic(lockerId, 'cmd'), { qos: 1 });
    const enter = async (guess: string) => {
      const requestId = crypto.randomUUID();
      const now = Date.now();
      await device.publishAsync(
        lockerTopic(lockerId, 'evt'),
        JSON.stringify({
          messageId: crypto.randomUUID(),
          lockerId,
          sentAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 60_000).toISOString(),
          type: 'code_entered',
          requestId,
          code: guess,
        }),
        { qos: 1 },
      );
      return until(`answer to ${guess}`, async () => answers.get(requestId), 5000);
    };
    try {
      for (let i = 0; i < WRONG_CODES_PER_LOCKER; i++) {
        const guess = String((Number(code) + 1 + i) % 1e8).padStart(8, '0');
        expect(await enter(guess), `guess ${i + 1}`).toMatchObject({
          type: 'screen_result',
          outcome: 'wrong_code',
        });
      }
      expect(await enter(code!)).toMatchObject({ type: 'screen_result', outcome: 'throttled' });
      const mine = (await w.api('qsh1', 'GET', '/api/v1/me/parcels')).json() as {
        status: string;
      }[];
      expect(mine.every((p) => p.status === 'stored')).toBe(true);
    } finally {
      await device.endAsync(true);
    }
  }, 120_000);

  it('oversized bodies are refused from the Content-Length alone, before the body is read', async () => {
    const limit = w.server.app.initialConfig.bodyLimit!;
    const head = `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${limit * 40}\r\n\r\n`;
    const r = await rawHttp(w.server.httpUrl, [head, '{"username":"'], 3000);
    expect(r.text).toMatch(/^HTTP\/1\.1 413/);
    // A chunked body that never declares its size is cut off once it passes the limit.
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = [
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      ...Array.from(
        { length: Math.ceil((limit * 2) / chunk.length) },
        () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`,
      ),
    ];
    const c = await rawHttp(w.server.httpUrl, chunks, 5000);
    expect(c.text).toMatch(/^HTTP\/1\.1 413/);
  }, 120_000);

  it('slow clients are bounded: header, request and idle timeouts are set on the listening server', async () => {
    const cfg = w.server.app.initialConfig;
    expect(cfg.connectionTimeout).toBeGreaterThan(0);
    expect(cfg.connectionTimeout).toBeLessThanOrEqual(60_000);
    const http = w.server.app.server as unknown as {
      headersTimeout: number;
      requestTimeout: number;
      keepAliveTimeout: number;
    };
    expect(http.requestTimeout).toBeGreaterThan(0);
    expect(http.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(http.headersTimeout).toBeLessThanOrEqual(60_000);
    expect(http.keepAliveTimeout).toBeLessThanOrEqual(10_000);
    // A client that sends half a request line and stalls is not served, and other clients are.
    const stalled = rawHttp(w.server.httpUrl, ['GET /healthz HTT'], 1500);
    const ok = await fetch(`${w.server.httpUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect((await stalled).text).toBe('');
  }, 120_000);
});
