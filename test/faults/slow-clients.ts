/**
 * Slow clients against a real listening node: slowloris (headers one byte a second) and a
 * slow body (declared length, trickled) on 20 sockets each. The node must cut every one
 * of them within its request timeout (30 s, checked every 30 s by Node: ≤ 65 s) and keep
 * answering everyone else quickly meanwhile.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { TEST_ENV } from '../harness.ts';

/** Run the slow-client scenarios; returns failures. */
export async function runSlowClients(): Promise<string[]> {
  const failures: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-slow-'));
  const server = await startServer(
    loadConfig({
      ...TEST_ENV,
      PORT: '0',
      MQTT_PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATABASE_URL: 'sqlite::memory:',
    }),
  );
  const u = new URL(server.httpUrl);
  const started = Date.now();
  const closedAfter: number[] = [];
  const sockets: net.Socket[] = [];
  const trickle = (head: string) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    sockets.push(s);
    let i = 0;
    const t = setInterval(() => {
      if (s.destroyed) return clearInterval(t);
      s.write(head[i % head.length]!);
      i++;
    }, 1000);
    s.on('close', () => {
      clearInterval(t);
      closedAfter.push(Date.now() - started);
    });
    s.on('error', () => {});
  };
  try {
    for (let i = 0; i < 20; i++)
      trickle('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(500));
    for (let i = 0; i < 20; i++)
      trickle(
        `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"username":"${'a'.repeat(5000)}`,
      );
    const lat: number[] = [];
    while (closedAfter.length < sockets.length && Date.now() - started < 70_000) {
      const t0 = performance.now();
      const res = await fetch(`${server.httpUrl}/healthz`).catch(() => null);
      lat.push(res?.status === 200 ? performance.now() - t0 : Infinity);
      await new Promise((r) => setTimeout(r, 500));
    }
    const open = sockets.length - closedAfter.length;
    if (open)
      failures.push(
        `${open} of ${sockets.length} trickling sockets still open after ${Math.round((Date.now() - started) / 1000)} s`,
      );
    const worst = Math.max(...lat);
    if (!Number.isFinite(worst))
      failures.push('a normal request failed while slow clients were connected');
    const sorted = [...closedAfter].sort((a, b) => a - b);
    process.stdout.write(
      `[slow clients] 40 trickling sockets cut after ${Math.round((sorted[0] ?? 0) / 1000)}–${Math.round((sorted.at(-1) ?? 0) / 1000)} s; normal requests meanwhile: ${lat.length}, worst ${worst.toFixed(1)} ms\n`,
    );
  } finally {
    for (const s of sockets) s.destroy();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
