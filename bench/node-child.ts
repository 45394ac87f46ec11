/**
 * The process under test. Benchmarks fork it (bench/child.ts) so the node's CPU and
 * memory are measured apart from the load generator and the fleet, as on a real
 * deployment. It answers requests over IPC: start a full antnest node on the scaled
 * world, start one of the floor's bare components, run the raw commit loops, report
 * its CPU, memory and commit counters, and profile a window with the inspector.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import mqtt from 'mqtt';
import pg from 'pg';
import { openDatabase, SQLITE_PRAGMAS } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { groupCommitStats, groupCommits } from '../src/db/transact.ts';
import { startEmbeddedBroker } from '../src/platform/mqtt/broker.ts';
import type { SmsSender } from '../src/platform/notify/sms.ts';
import type { RunningServer } from '../src/server.ts';
import { type Handler, serveOps } from './child-ipc.ts';
import { cpuSeconds, wallMs } from './stats.ts';
import { sqlKind, StoreCapture } from './store-replay.ts';
import { WalFrameSampler } from './wal-frames.ts';
import { loadConfig, seedDeps, seedScaledSubdistrict } from './world.ts';

// Count commits and executed statements the way SQLite sees them: every `commit`, and every write outside a transaction.
// `statements` are data statements (issue 19 budgets "~35 data statements"), as `SqlCounts.statements`
// counts them; transaction control (begin, commit, savepoint, release, rollback) is `control`.
const counters = { commits: 0, statements: 0, control: 0 };
/** While a profile runs: executions and time inside SQLite per SQL text (written beside the .cpuprofile). */
let sqlTiming: Map<string, { n: number; ms: number; samples: number[] }> | undefined;
/** Samples kept per statement for its median and maximum (the mean hides whether a few stalls or every run cost the time). */
const SAMPLES_KEPT = 5000;
/** ANTNEST_BENCH_SQL_CALLERS=<part of a statement's SQL>: also tally who runs it (the first src/ frames of its stack). */
const callersOf = process.env.ANTNEST_BENCH_SQL_CALLERS;
const tally = (key: string, ms: number) => {
  const e = sqlTiming!.get(key) ?? { n: 0, ms: 0, samples: [] };
  e.n++;
  e.ms += ms;
  if (e.samples.length < SAMPLES_KEPT) e.samples.push(ms);
  sqlTiming!.set(key, e);
};
const callers = () => {
  // Kysely's driver frames alone can fill the default 10; keep enough to reach src/.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack
    .split('\n')
    .filter((l) => l.includes('/src/'))
    .slice(0, 4)
    .map((l) => l.trim().replace(/\(.*\/src\//, '('))
    .join(' < ');
};
/** Every connection this thread opened, by file: the store capture follows the node's own. */
const connections = new Map<string, SQLite.Database>();
/** `store-capture-start`/`-stop`: the node's statements, for bench/store-replay.ts. */
const storeCapture = new StoreCapture();
const origPrepare = SQLite.prototype.prepare;
SQLite.prototype.prepare = function (this: SQLite.Database, src: string) {
  const st = origPrepare.call(this, src);
  // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapped methods below need the database
  const db = this;
  const { writes, commit: isCommit, control: isControl } = sqlKind(src);
  connections.set(db.name, db);
  for (const m of ['run', 'all', 'get', 'iterate'] as const) {
    const orig = st[m] as (...a: unknown[]) => unknown;
    (st as unknown as Record<string, unknown>)[m] = function (...a: unknown[]) {
      if (isControl) counters.control++;
      else counters.statements++;
      if (writes && (isCommit || !db.inTransaction)) counters.commits++;
      if (storeCapture.capturing(db)) {
        const entry = storeCapture.record(src, m, a);
        try {
          return orig.apply(st, a);
        } catch (e) {
          entry[3] = 1;
          throw e;
        }
      }
      if (!sqlTiming) return orig.apply(st, a);
      if (callersOf && src.includes(callersOf)) tally(`callers: ${callers()}`, 0);
      const t0 = performance.now();
      try {
        return orig.apply(st, a);
      } finally {
        const ms = performance.now() - t0;
        tally(src, ms);
        // Statements that held the loop (a commit that ran the WAL checkpoint, a long scan).
        if (ms >= 5) tally(`slow (≥ 5 ms): ${src.slice(0, 60)}`, ms);
      }
    };
  }
  return st;
} as typeof origPrepare;

// The group transaction's `pragma temp_store` goes through exec: the store replay needs it too.
const origExec = SQLite.prototype.exec;
SQLite.prototype.exec = function (this: SQLite.Database, src: string) {
  if (storeCapture.capturing(this)) storeCapture.record(src, 'exec', []);
  return origExec.call(this, src);
} as typeof origExec;

/** How long the node's event loop was held (GC, a long transaction, a checkpoint): reset by every `stats` call. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

const closers: (() => Promise<void>)[] = [];
let server: RunningServer | undefined;
let session: Session | undefined;
/** While a profile runs on SQLite: which b-trees each commit writes (wal-frames.ts). */
let walFrames: WalFrameSampler | undefined;
let historyKeys: { phoneKey: Buffer; phoneHashKey: Buffer } | undefined;
let dbFile = '';
/** The benchmark's own read-only connection for the `stats` counts, and the CPU they took so far. */
let counter: SQLite.Database | undefined;
let statsCpuSeconds = 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-bench-node-'));

const ops: Record<string, Handler> = {
  async 'floor-sqlite'(a) {
    const raw = new SQLite(path.join(dir, `raw-${Date.now()}.db`));
    for (const p of SQLITE_PRAGMAS) raw.pragma(p);
    raw.exec('create table if not exists t (x integer)');
    const ins = raw.prepare('insert into t values (?)');
    const tx = raw.transaction((i: number) => ins.run(i));
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const end = t0 + Number(a.seconds) * 1000;
    let n = 0;
    while (performance.now() < end) for (let k = 0; k < 100; k++) tx(n++);
    const wallS = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - c0;
    raw.close();
    return { commitsPerSec: n / wallS, cpuPerCommitUs: (cpu / n) * 1e6, n };
  },
  async 'floor-pg'(a) {
    const client = new pg.Client({ connectionString: String(a.url) });
    await client.connect();
    await client.query('create temp table bench_t (x integer)');
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const end = t0 + Number(a.seconds) * 1000;
    let n = 0;
    // One single-row transaction per commit, as the server's transactions are.
    while (performance.now() < end) {
      await client.query('begin');
      await client.query('insert into bench_t values ($1)', [n++]);
      await client.query('commit');
    }
    const wallS = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - c0;
    await client.end();
    return { commitsPerSec: n / wallS, clientCpuPerCommitUs: (cpu / n) * 1e6, n };
  },
  async 'floor-http'() {
    const app = Fastify({ logger: false });
    app.post('/', async () => ({}));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
    return { url };
  },
  async 'floor-broker'(a) {
    const broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      authenticate: async () => ({ role: 'service' }),
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    closers.push(() => broker.close());
    // The node's side of a round trip, answering each ping: in-process as the node now consumes its embedded
    // broker (ADR 0035), or through an mqtt.js client in this process as it did before (the loopback).
    if ((a as { inProcess?: boolean } | undefined)?.inProcess) {
      const t = broker.transport;
      const consumer = await t.consume(['antnest/bench/ping'], (_topic, payload, ack) => {
        ack();
        void t.publish('antnest/bench/pong', payload);
      });
      closers.push(() => consumer.stop());
      return { url: broker.url };
    }
    const echo = await mqtt.connectAsync(broker.url, {
      clientId: 'antnest-bench-echo',
      username: 'bench',
      password: 'bench',
      reconnectPeriod: 0,
    });
    (echo.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
    await echo.subscribeAsync('antnest/bench/ping', { qos: 1 });
    echo.on('message', (_t, p) => void echo.publish('antnest/bench/pong', p, { qos: 1 }));
    closers.push(() => echo.endAsync());
    return { url: broker.url };
  },
  async server(a) {
    const env: NodeJS.ProcessEnv = {
      PORT: '0',
      MQTT_PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'node.db')}`,
      ANTNEST_DEMO_FLEET: 'false',
      ACCESS_TOKEN_TTL: String(24 * 3600),
    };
    const config = loadConfig(env, { demo: true });
    const t0 = performance.now();
    // Seed the scaled world before the node starts: the node's own demo seeder then puts a cabinet at every site.
    const pre = await openDatabase(config.database);
    await migrateToLatest(pre.db, pre.schema);
    const sites = await seedScaledSubdistrict(seedDeps(config, pre.db), {
      lockerSites: Number(a.lockerSites),
      halls: Number(a.halls ?? 50),
    });
    await pre.destroy();
    const sms: SmsSender = {
      send: async (phone, body) => {
        process.send!({ event: 'sms', phone, body, at: wallMs() });
      },
    };
    // Loaded only here, so the floor's bare components never load the app.
    const { startServer } = await import('../src/server.ts');
    server = await startServer(config, { sms });
    // ANTNEST_BENCH_GROUP_COMMIT=0: one COMMIT per transaction, as before group commit (an A/B switch).
    if (process.env.ANTNEST_BENCH_GROUP_COMMIT === '0') groupCommits(server.database.db, false);
    // ANTNEST_BENCH_CHECKPOINTER=0: the WAL checkpoint back inside the commits, as before ADR 0039.
    if (process.env.ANTNEST_BENCH_CHECKPOINTER === '0') await server.database.checkpointer?.stop();
    closers.push(() => server!.close());
    const seededMs = performance.now() - t0;
    let history: unknown = null;
    historyKeys = config.secrets;
    dbFile = config.database.kind === 'sqlite' ? config.database.file : '';
    if (Number(a.historyParcels ?? 0) > 0)
      history = await (
        await import('./history-gen.ts')
      ).bulkHistory(dbFile, {
        parcels: Number(a.historyParcels),
        seed: String(a.seed ?? 'history'),
        vaultKeys: config.secrets,
      });
    const compartments = server.demoLockers.reduce((n, l) => n + l.compartments.length, 0);
    return {
      dbFile,
      httpUrl: server.httpUrl,
      mqttUrl: server.mqttUrl,
      tokenKey: config.secrets.tokenKey.toString('base64'),
      sites,
      compartments,
      seededMs,
      history,
      lockers: server.demoLockers,
    };
  },
  async history(a) {
    // More finished parcels into the running node's database, on a second connection.
    const { bulkHistory } = await import('./history-gen.ts');
    return bulkHistory(dbFile, {
      parcels: Number(a.parcels),
      seed: String(a.seed),
      offset: Number(a.offset ?? 0),
      vaultKeys: historyKeys!,
      log: (s) => console.log(s),
    });
  },
  async stats() {
    const mem = process.memoryUsage();
    const out: Record<string, number> = {
      cpu: cpuSeconds() - statsCpuSeconds,
      rssMiB: mem.rss / 2 ** 20,
      heapMiB: mem.heapUsed / 2 ** 20,
      commits: counters.commits,
      statements: counters.statements,
      control: counters.control,
      at: wallMs(),
      // Since the last stats call; the histogram counts in nanoseconds, less its own resolution.
      loopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - 5),
      loopDelayMaxMs: Math.max(0, loopDelay.max / 1e6 - 5),
      groups: 0,
      groupedItems: 0,
    };
    const g = server ? groupCommitStats(server.database.db) : undefined;
    if (g) {
      out.groups = g.groups;
      out.groupedItems = g.items;
    }
    loopDelay.reset();
    if (server && dbFile) {
      // Counted on a connection of the benchmark's own, synchronously and outside the wrapped
      // statements: not in the node's statement counts nor in a store capture, and the CPU it
      // takes (full scans of growing tables) is taken out of every later `cpu` reading.
      const c0 = cpuSeconds();
      counter ??= new SQLite(dbFile, { readonly: true });
      const count = (sql: string) =>
        Number(
          ((origPrepare.call(counter!, sql) as SQLite.Statement<[]>).get() as { n: number }).n,
        );
      out.events = count('select count(*) as n from locker_events');
      out.commands = count('select count(*) as n from locker_commands');
      out.answered = count(
        'select count(*) as n from locker_commands where answered_at is not null',
      );
      statsCpuSeconds += cpuSeconds() - c0;
    }
    return out;
  },
  async parcels(a) {
    // Final states of the benchmark's own parcels (by waybill prefix), read after a step drains.
    const rows = await server!.database.db
      .selectFrom('parcels')
      .select(['waybill', 'status', 'created_at', 'stored_at', 'picked_up_at'])
      .where('waybill', 'like', `${String(a.prefix)}%`)
      .execute();
    return rows;
  },
  async 'profile-start'() {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    sqlTiming = new Map();
    if (dbFile) walFrames = new WalFrameSampler(dbFile);
    return {};
  },
  async 'profile-stop'(a) {
    const { profile } = await session!.post('Profiler.stop');
    session!.disconnect();
    session = undefined;
    fs.mkdirSync(path.dirname(String(a.file)), { recursive: true });
    fs.writeFileSync(String(a.file), JSON.stringify(profile));
    const sql = [...(sqlTiming ?? new Map<string, { n: number; ms: number; samples: number[] }>())]
      .map(([text, e]) => {
        const sorted = e.samples.sort((x, y) => x - y);
        return {
          ms: Math.round(e.ms * 10) / 10,
          n: e.n,
          p50Us: Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 1000),
          maxMs: Math.round((sorted.at(-1) ?? 0) * 100) / 100,
          text,
        };
      })
      .sort((x, y) => y.ms - x.ms);
    sqlTiming = undefined;
    fs.writeFileSync(
      String(a.file).replace(/\.cpuprofile$/, '.sql.json'),
      JSON.stringify(sql, null, 1),
    );
    const wal = walFrames?.finish();
    walFrames = undefined;
    if (wal)
      fs.writeFileSync(
        String(a.file).replace(/\.cpuprofile$/, '.wal.json'),
        JSON.stringify(wal, null, 1),
      );
    return { file: a.file, walFramesPerCommit: wal?.framesPerCommit };
  },
  async 'store-capture-start'() {
    const db = connections.get(dbFile);
    if (!db) throw new Error('store capture: the node runs on no SQLite file');
    const snapshot = path.join(dir, 'store-snapshot.db');
    await storeCapture.start(db, snapshot);
    return { snapshot };
  },
  async 'store-capture-stop'() {
    const log = path.join(dir, 'store-log.bin');
    return { log, ...storeCapture.stop(log) };
  },
  async stop() {
    counter?.close();
    while (closers.length) await closers.pop()!().catch(() => {});
    // ANTNEST_BENCH_KEEP=1 keeps the node's database for a look afterwards (query plans, row counts).
    if (process.env.ANTNEST_BENCH_KEEP) console.log(`bench node: kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
    setTimeout(() => process.exit(0), 50);
    return {};
  },
};

serveOps(ops);
