/**
 * The load generator every scenario shares: a keep-alive HTTP client on node:http and an
 * open-loop scheduler (arrivals at a fixed offered rate, Poisson-spaced from a seed,
 * independent of how fast answers come back, so a slow server shows as latency and
 * backlog instead of quietly lowering the load — no coordinated omission).
 */
import http from 'node:http';
import { seededRandom } from '../src/device/prng.ts';
import { sleep } from './stats.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One JSON request; resolves with the status, the parsed body and the latency. */
export function httpJson(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; ms: number }> {
  const t0 = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - t0 });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Result of an open-loop window. */
export interface OpenLoopResult {
  offered: number;
  started: number;
  /** How late the generator started arrivals (ms): high values mean the generator, not the server, was the bottleneck. */
  lateP99: number;
}

/**
 * Start `fn(i, intendedAt)` at `rate` arrivals per second for `seconds`, without waiting
 * for earlier ones. Resolves once every arrival has been started (not finished).
 */
export async function openLoop(
  rate: number,
  seconds: number,
  seed: string,
  fn: (i: number, intendedAt: number) => void,
): Promise<OpenLoopResult> {
  const rng = seededRandom(seed);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let next = t0;
  let i = 0;
  const late: number[] = [];
  while (next < end) {
    const now = performance.now();
    if (now < next) {
      await sleep(Math.max(0, Math.min(next - now, 5)) >= 1 ? Math.floor(next - now) : 0);
      continue;
    }
    while (next <= now && next < end) {
      late.push(now - next);
      fn(i++, next);
      next += (-Math.log(1 - rng.float()) * 1000) / rate;
    }
  }
  late.sort((a, b) => a - b);
  return {
    offered: rate,
    started: i,
    lateP99: late.length ? late[Math.floor(late.length * 0.99)]! : 0,
  };
}

/** Keep `concurrency` requests in flight for `seconds`; the saturated rate (closed loop). */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  fn: () => Promise<void>,
): Promise<{ perSec: number; n: number }> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await fn();
        n++;
      }
    }),
  );
  return { perSec: n / ((performance.now() - t0) / 1000), n };
}
