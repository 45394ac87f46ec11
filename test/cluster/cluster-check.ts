/**
 * The CI cluster test (issue 6): three API nodes + Mosquitto + PostgreSQL, 200 simulated
 * lockers, 5,000 parcel cycles spread across the nodes while one node is killed -9 and
 * restarted and another is restarted gracefully (a rolling restart). Then: 0 parcels
 * lost, 0 compartments double-assigned, 0 device events applied twice, every command
 * answered or expired. Exits 1 on any violation.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/cluster/cluster-check.ts [--nodes 3] [--lockers 200] [--cycles 5000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFleet } from '../../src/device/fleet.ts';
import { doubleAssignedNow, settle, verify } from './checks.ts';
import { listenLive, runCycles } from './driver.ts';
import { freePort, NodeProcess, nodeEnv, startMosquitto } from './processes.ts';
import { seedClusterWorld } from './world.ts';

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    lockers: { type: 'string', default: '200' },
    cycles: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '100' },
    'no-faults': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const NODES = Number(args.nodes);
const CYCLES = Number(args.cycles);
const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl?.startsWith('postgres')) {
  process.stderr.write(
    'cluster-check: set DATABASE_URL=postgres://… (the cluster runs on PostgreSQL)\n',
  );
  process.exit(2);
}
// Interrupted (Ctrl-C, CI timeout): exit normally so the nodes and the broker are killed with us.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
const log = (s: string) =>
  process.stdout.write(`[cluster ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-cluster-'));

const broker = await startMosquitto();
const world = await seedClusterWorld(databaseUrl, Number(args.lockers));
log(
  `mosquitto ${broker.url} · postgres schema ${world.schema} · ${world.lockers.length} lockers · node logs in ${logDir}`,
);
const env = nodeEnv({
  databaseUrl,
  schema: world.schema,
  mqttUrl: broker.url,
  keys: world.keys,
  poolSize: 8,
});
const nodes: NodeProcess[] = [];
for (let i = 1; i <= NODES; i++)
  nodes.push(
    new NodeProcess(`node-${i}`, await freePort(), env, path.join(logDir, `node-${i}.log`)),
  );
await Promise.all(nodes.map((n) => n.start()));
log(`${NODES} nodes ready: ${nodes.map((n) => n.url).join(' ')}`);

const fleet = await startFleet({
  brokerUrl: broker.url,
  lockers: world.lockers.map((l) => ({
    lockerId: l.lockerId,
    username: l.lockerId,
    password: l.password,
    compartments: l.compartments,
  })),
  seed: 'cluster-ci',
  timeScale: 0.2,
  doorAutoCloseMs: 24 * 3600_000, // the driver closes doors itself
  settings: { heartbeatSeconds: 150, uvDefaultSeconds: 10 }, // ×0.2: a heartbeat every 30 s, 2 s of UV after each close
});
await new Promise((r) => setTimeout(r, 2000));
log(`fleet: ${JSON.stringify(fleet.stats())}`);

/** How many times each string occurs. */
const tally = (xs: string[]) =>
  xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

// Faults at a third and at two thirds of the run: kill -9 then restart; a graceful rolling restart.
let sampledDoubles = 0;
const faults: string[] = [];
let faulting: Promise<void> = Promise.resolve();
const fault = (at: number, what: () => Promise<void>) => ({ at, what, done: false });
const rolling = { start: Infinity, end: -Infinity };
/** A retry the rolling restart caused: in its window, for a request sent at most 10 s before it began. */
const byRolling = (r: { at: number; since: number }) =>
  r.at >= rolling.start && r.at <= rolling.end && r.since >= rolling.start - 10_000;
const plan =
  args['no-faults'] || NODES < 2
    ? []
    : [
        fault(Math.floor(CYCLES / 3), async () => {
          const victim = nodes[1]!;
          log(`kill -9 ${victim.nodeId} (pid ${victim.child?.pid})`);
          await victim.stop('SIGKILL');
          faults.push(`${victim.nodeId} killed -9`);
          await new Promise((r) => setTimeout(r, 5000));
          await victim.start();
          faults.push(`${victim.nodeId} restarted`);
          log(`${victim.nodeId} restarted`);
        }),
        fault(Math.floor((2 * CYCLES) / 3), async () => {
          rolling.start = performance.now();
          for (const n of nodes) {
            log(`rolling restart: ${n.nodeId} SIGTERM → start`);
            await n.stop('SIGTERM');
            await n.start();
          }
          rolling.end = performance.now();
          faults.push('rolling restart of every node (SIGTERM, start, one at a time)');
        }),
      ];
// Live updates across nodes: a resident's stream on the last node hears of parcels deposited through the others.
const liveNode = nodes[NODES - 1]!;
const live = listenLive(liveNode.url, world.residentToken);
const sampler = setInterval(
  () =>
    void doubleAssignedNow(world.database.db).then(
      (n) => (sampledDoubles += n),
      () => {},
    ),
  1000,
);

let lastLog = 0;
const run = await runCycles({
  db: world.database.db,
  fleet,
  targets: () => nodes,
  courierToken: world.courierToken,
  phoneKey: world.phoneKey,
  phones: world.recipientPhones,
  lockers: world.lockers.map((l) => l.lockerId),
  cycles: CYCLES,
  concurrency: Number(args.concurrency),
  runId: `c${Date.now().toString(36)}`,
  onProgress: (done) => {
    for (const f of plan) {
      if (!f.done && done >= f.at) {
        f.done = true;
        faulting = faulting
          .then(f.what)
          .catch((e) => void faults.push(`FAULT STEP FAILED: ${(e as Error).message}`));
      }
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(
        `${done}/${CYCLES} cycles · nodes up: ${nodes
          .filter((n) => n.healthy)
          .map((n) => n.nodeId)
          .join(', ')}`,
      );
    }
  },
});
await faulting;
clearInterval(sampler);
log(
  `cycles done: ${run.completed.length} ok, ${run.failed.length} failed in ${run.wallSeconds.toFixed(1)} s (${run.cyclesPerSecond.toFixed(1)}/s, p50 ${run.p50Ms.toFixed(0)} ms, p99 ${run.p99Ms.toFixed(0)} ms)`,
);
for (const f of run.failed.slice(0, 10)) log(`  failed ${f.lockerId}#${f.i}: ${f.error}`);

live.stop();
const liveEnd = live.endedAt() ?? performance.now();
const liveExpected = run.completed.filter(
  (c) =>
    c.phone === world.recipientPhones[0] && c.via !== liveNode.url && c.doneAt < liveEnd - 2000,
);
const liveSeen = liveExpected.filter((c) => live.text().includes(c.parcelId)).length;
const unsettled = await settle(world.database.db, fleet, 150_000);
if (unsettled.length) log(`not settled after 150 s: ${unsettled.join(', ')}`);
const verdict = await verify(
  world.database.db,
  fleet,
  CYCLES,
  run.completed,
  run.placed,
  sampledDoubles,
);
const jobs = await world.database.db
  .selectFrom('job_leases')
  .select(['name', 'holder', 'runs'])
  .orderBy('name')
  .execute();
const report = {
  nodes: NODES,
  lockers: world.lockers.length,
  cycles: CYCLES,
  completed: run.completed.length,
  failed: run.failed.length,
  faults,
  wallSeconds: Math.round(run.wallSeconds * 10) / 10,
  cyclesPerSecond: Math.round(run.cyclesPerSecond * 10) / 10,
  cycleMs: { p50: Math.round(run.p50Ms), p99: Math.round(run.p99Ms) },
  retries: {
    http: run.httpRetries,
    // Zero downtime: the proxy stops sending to a node before SIGTERM and the node drains; a client that still
    // raced a closing socket retries with its Idempotency-Key (counted here, never shown to a person as an error).
    // Requests first sent in the rolling restart's window (or just before it) that had to go again: the zero-downtime figure.
    httpDuringRollingRestart: run.httpRetriesAt.filter(byRolling).length,
    httpWhy: tally(
      run.httpRetriesAt.map(
        (r) =>
          `${byRolling(r) ? 'rolling restart' : r.at >= rolling.start && r.at <= rolling.end ? 'left over from the kill' : 'kill -9'}: ${r.why}`,
      ),
    ),
    noRoom: run.noRoomRetries,
    codeReentered: run.codeRetries,
  },
  ...verdict.figures,
  liveUpdates: `${liveSeen} of ${liveExpected.length} parcels deposited through other nodes were announced on ${liveNode.nodeId}'s stream (until it restarted)`,
  jobs: jobs.map((j) => `${j.name}: ${j.runs} runs, last on ${j.holder}`),
};
console.log(JSON.stringify(report, null, 2));

await fleet.stop();
await Promise.all(nodes.map((n) => n.stop('SIGTERM')));
await broker.stop();
if (args.keep) log(`kept schema ${world.schema}`);
else await world.destroy();
if (liveExpected.length > 0 && liveSeen === 0)
  verdict.problems.push(
    'live updates: no parcel deposited through another node reached the stream',
  );
const ok =
  verdict.problems.length === 0 &&
  run.failed.length === 0 &&
  unsettled.length === 0 &&
  !faults.some((f) => f.startsWith('FAULT STEP FAILED'));
for (const p of verdict.problems) log(`PROBLEM: ${p}`);
log(
  ok
    ? 'PASS: 0 parcels lost, 0 compartments double-assigned, 0 events applied twice, every command answered or expired'
    : 'FAIL',
);
process.exit(ok ? 0 : 1);
