/**
 * The moving parts of a local cluster as child processes: our own Mosquitto (with
 * TCP_NODELAY, on a free port, so nothing depends on the system broker's config), API
 * nodes (`node bin/antnest.js serve`), and a tiny round-robin HTTP proxy in front of them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Children die with us, however we exit (a failed assertion must not leave nodes or a broker behind).
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
function track(c: ChildProcess): ChildProcess {
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolve once something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Broker {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Start a private Mosquitto 2 with set_tcp_nodelay (the Debian default config leaves
 * Nagle on: 44–88 ms per round trip). Anonymous and without ACLs: this is a test bench;
 * docs/mqtt-brokers.md has the production password file and per-locker patterns.
 */
export async function startMosquitto(opts: { port?: number } = {}): Promise<Broker> {
  const port = opts.port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-mosquitto-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'set_tcp_nodelay true',
      'persistence false',
      'max_queued_messages 100000',
      'max_inflight_messages 100',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  );
  const child = track(spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitForPort(port, 5000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`mosquitto did not start: ${(e as Error).message}\n${err}`);
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One API node: a child process running `antnest serve`. */
export class NodeProcess {
  child: ChildProcess | null = null;
  /** Whether a load balancer would send traffic here (set by start/kill, cleared on connection errors). */
  healthy = false;
  restarts = 0;
  private tail = '';

  constructor(
    readonly nodeId: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile?: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Spawn and wait until /readyz answers 200; a node that exits during start-up is tried
   * again twice (on a shared PostgreSQL, Kysely's migration check can trip over another
   * client dropping a schema at that moment).
   */
  async start(timeoutMs = 120_000): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce(timeoutMs);
      } catch (e) {
        if (attempt >= 3 || this.child) throw e;
      }
    }
  }

  private async startOnce(timeoutMs: number): Promise<void> {
    const child = track(
      spawn(process.execPath, [path.join(ROOT, 'bin/antnest.js'), 'serve'], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...this.env,
          NODE_ID: this.nodeId,
          PORT: String(this.port),
          HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    this.child = child;
    const sink = this.logFile ? fs.createWriteStream(this.logFile, { flags: 'a' }) : null;
    const keep = (d: Buffer) => {
      this.tail = (this.tail + d.toString()).slice(-4000);
      sink?.write(d);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', () => {
      sink?.end();
      if (this.child === child) {
        this.child = null;
        this.healthy = false;
      }
    });
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (this.child !== child)
        throw new Error(`node ${this.nodeId} exited during start:\n${this.tail}`);
      // A timeout: a pooled keep-alive socket to the killed predecessor on this port can hang a fetch.
      const ok = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > end)
        throw new Error(`node ${this.nodeId} not ready after ${timeoutMs} ms:\n${this.tail}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.healthy = true;
  }

  /** kill -9 (or a graceful SIGTERM) and wait for the process to be gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.healthy = false;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await gone;
  }

  /** Last lines of output (for failures). */
  output(): string {
    return this.tail;
  }
}

/** Environment shared by every node of a cluster. */
export function nodeEnv(opts: {
  databaseUrl: string;
  schema?: string;
  mqttUrl: string;
  keys: Record<string, string>;
  logLevel?: string;
  poolSize?: number;
}): Record<string, string> {
  return {
    ...opts.keys,
    DATABASE_URL: opts.databaseUrl,
    ...(opts.schema ? { DATABASE_SCHEMA: opts.schema } : {}),
    DATABASE_POOL_SIZE: String(opts.poolSize ?? 10),
    MQTT_URL: opts.mqttUrl,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    ANTNEST_DEMO: 'false',
    ACCESS_TOKEN_TTL: String(24 * 3600),
  };
}

/**
 * A tiny round-robin HTTP proxy (enough for a local cluster; use nginx or a cloud load
 * balancer in production, see docs/scale-out.md). A node that refuses the connection is
 * skipped for 2 s and the request goes to the next one, so a killed node costs at most
 * its in-flight requests. Server-sent events stream through unbuffered.
 */
export async function startProxy(
  port: number,
  targets: () => readonly { url: string }[],
): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const benched = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (d: Buffer) => body.push(d));
    req.on('end', () => {
      const all = targets();
      const tryTarget = (left: number) => {
        const now = Date.now();
        const candidates = all.filter((t) => (benched.get(t.url) ?? 0) <= now);
        const pool = candidates.length ? candidates : all;
        const target = pool[next++ % pool.length];
        if (!target) return void res.writeHead(502).end('no nodes');
        const u = new URL(req.url ?? '/', target.url);
        const up = http.request(
          u,
          {
            method: req.method,
            headers: {
              ...req.headers,
              host: u.host,
              'x-forwarded-for': req.socket.remoteAddress ?? '',
            },
          },
          (ur) => {
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            ur.pipe(res);
          },
        );
        up.on('error', (err: NodeJS.ErrnoException) => {
          // Only a refused connection is retried elsewhere: the request never reached a node.
          if (!res.headersSent && left > 0 && err.code === 'ECONNREFUSED') {
            benched.set(target.url, Date.now() + 2000);
            tryTarget(left - 1);
          } else if (!res.headersSent)
            res.writeHead(502).end(`upstream ${target.url}: ${err.message}`);
          else res.destroy();
        });
        up.end(Buffer.concat(body));
      };
      tryTarget(all.length);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
