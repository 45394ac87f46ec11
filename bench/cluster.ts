/**
 * Scale-out benchmark: the same parcel cycle (deposit over HTTP → door closes on the
 * parcel → code typed on the locker screen → door opens → closed empty) driven through
 * 1, 2 and 3 API nodes on PostgreSQL + Mosquitto, and through one node on the embedded
 * default (SQLite + in-process broker), side by side. Simulated lockers (the fleet) run in
 * this process. Unlike bench/parcel-cycle.ts this includes everything a cycle costs on a
 * real node: HTTP, MQTT both ways, the dispatcher, the offline-verifier sync (scrypt).
 *
 * Besides cycles/s it reports CPU seconds per cycle of the nodes, the broker and the
 * PostgreSQL server (from /proc), which is what capacity planning needs: on a shared
 * 2-core machine throughput is CPU-bound and noisy, CPU per cycle much less so.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/cluster.ts [--cycles 400] [--lockers 100] [--concurrency 50] [--setups embedded,1,2,3]
 *
 * Prints a table and writes bench/results/cluster.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFleet } from '../src/device/fleet.ts';
import { runCycles } from '../test/cluster/driver.ts';
import {
  type Broker,
  freePort,
  NodeProcess,
  nodeEnv,
  startMosquitto,
} from '../test/cluster/processes.ts';
import { seedClusterWorld } from '../test/cluster/world.ts';
import { machine, r3, writeResult } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '400' },
    lockers: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '50' },
    setups: { type: 'string', default: 'embedded,1,2,3' },
  },
});
const CYCLES = Number(args.cycles);
const pgUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TICKS = 100; // USER_HZ on Linux

/** utime+stime of processes, in seconds (0 for any already gone). */
function cpuSeconds(pids: number[]): number {
  let t = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      t += (Number(f[11]) + Number(f[12])) / TICKS;
    } catch {
      /* exited */
    }
  }
  return t;
}

/** PIDs of the PostgreSQL server's processes (all of them: other users of the server count too, so treat as an upper bound). */
function postgresPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function measure(setup: string) {
  const embedded = setup === 'embedded';
  const n = embedded ? 1 : Number(setup);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-bench-cluster-'));
  const dbUrl = embedded ? `sqlite:${path.join(dir, 'antnest.db')}` : pgUrl;
  const world = await seedClusterWorld(dbUrl, Number(args.lockers));
  let broker: Broker | null = null;
  let mqttPort = 0;
  const env = embedded
    ? {
        ...world.keys,
        DATABASE_URL: dbUrl,
        MQTT_PORT: String((mqttPort = await freePort())),
        LOG_LEVEL: 'warn',
        ANTNEST_DEMO: 'false',
        ACCESS_TOKEN_TTL: String(24 * 3600),
      }
    : nodeEnv({
        databaseUrl: pgUrl,
        schema: world.schema,
        mqttUrl: (broker = await startMosquitto()).url,
        keys: world.keys,
      });
  const nodes: NodeProcess[] = [];
  for (let i = 1; i <= n; i++)
    nodes.push(
      new NodeProcess(`bench-${i}`, await freePort(), env, path.join(dir, `node-${i}.log`)),
    );
  await Promise.all(nodes.map((x) => x.start()));
  const brokerUrl = embedded ? `mqtt://127.0.0.1:${mqttPort}` : broker!.url;
  const fleet = await startFleet({
    brokerUrl,
    lockers: world.lockers.map((l) => ({
      lockerId: l.lockerId,
      username: l.lockerId,
      password: l.password,
      compartments: l.compartments,
    })),
    seed: 'bench-cluster',
    timeScale: 0.2,
    doorAutoCloseMs: 24 * 3600_000,
    settings: { heartbeatSeconds: 150, uvDefaultSeconds: 10 },
  });
  await new Promise((r) => setTimeout(r, 2000));
  const drive = (cycles: number, runId: string) =>
    runCycles({
      db: world.database.db,
      fleet,
      targets: () => nodes,
      courierToken: world.courierToken,
      phoneKey: world.phoneKey,
      phones: world.recipientPhones,
      lockers: world.lockers.map((l) => l.lockerId),
      cycles,
      concurrency: Number(args.concurrency),
      runId,
    });
  await drive(Math.min(50, CYCLES), `w${setup}`); // warm-up: JIT, pools, first syncs
  const nodePids = nodes.map((x) => x.child!.pid!);
  const brokerPids = broker ? [(broker as Broker).pid] : [];
  const pgPids = embedded ? [] : postgresPids();
  const before = {
    nodes: cpuSeconds(nodePids),
    broker: cpuSeconds(brokerPids),
    pg: cpuSeconds(pgPids),
    self: process.cpuUsage(),
    load: os.loadavg()[0]!,
  };
  const run = await drive(CYCLES, `m${setup}`);
  const self = process.cpuUsage(before.self);
  const per = (x: number) => r3((x * 1000) / Math.max(1, run.completed.length));
  const result = {
    setup: embedded
      ? 'embedded (SQLite + in-process Aedes), 1 node'
      : `${n} node${n > 1 ? 's' : ''} (PostgreSQL + Mosquitto, shared subscriptions)`,
    nodes: n,
    completed: run.completed.length,
    failed: run.failed.length,
    cyclesPerSec: r3(run.cyclesPerSecond),
    cycleMs: { p50: Math.round(run.p50Ms), p99: Math.round(run.p99Ms) },
    cpuMsPerCycle: {
      nodes: per(cpuSeconds(nodePids) - before.nodes),
      broker: broker ? per(cpuSeconds(brokerPids) - before.broker) : 'in node',
      postgres: embedded ? 'n/a' : per(cpuSeconds(pgPids) - before.pg),
      fleetAndDriver: per((self.user + self.system) / 1e6),
    },
    loadAverage1m: { start: r3(before.load), end: r3(os.loadavg()[0]!) },
  };
  await fleet.stop();
  await Promise.all(nodes.map((x) => x.stop('SIGTERM')));
  await broker?.stop();
  await world.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

const results = [];
for (const setup of args.setups.split(',')) {
  const r = await measure(setup.trim());
  console.log(JSON.stringify(r));
  results.push(r);
}
const file = writeResult('cluster', {
  cycles: CYCLES,
  lockers: Number(args.lockers),
  concurrency: Number(args.concurrency),
  notes: [
    'A cycle: deposit (HTTP, Idempotency-Key) → open command → door closes on the parcel (stored, SMS queued, offline verifier synced with scrypt) → code typed on the screen → open → picked up → door closed empty.',
    'Lockers are simulated in the benchmark process (timeScale 0.2); every node, the broker and PostgreSQL share the same 2 cores with it.',
    'cpuMsPerCycle.postgres sums every postgres process on the machine, so other users of the server inflate it: an upper bound.',
  ],
  results,
});
console.log(
  `\nparcel cycles through the cluster on ${machine().cores} cores (${CYCLES} cycles, ${args.lockers} lockers, ${args.concurrency} at a time)`,
);
console.table(
  Object.fromEntries(
    results.map((r) => [
      r.setup,
      {
        'cycles/s': r.cyclesPerSec,
        'p50 ms': r.cycleMs.p50,
        'p99 ms': r.cycleMs.p99,
        'node CPU ms/cycle': r.cpuMsPerCycle.nodes,
        'broker CPU ms/cycle': r.cpuMsPerCycle.broker,
        'postgres CPU ms/cycle': r.cpuMsPerCycle.postgres,
        failed: r.failed,
      },
    ]),
  ),
);
console.log(`written to ${file}`);
