/**
 * Command round trip on the embedded default: staff API open → outbox → dispatcher →
 * embedded broker → simulated locker (fleet) → response on the broker, with N lockers
 * connected, beside the raw broker QoS 1 round trip measured in the same run.
 *
 *   npx tsx bench/command-roundtrip.ts [--lockers 1000] [--opens 400] [--runs 3] [--seed s]
 *
 * Prints a table and writes bench/results/command-roundtrip.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MqttClient } from 'mqtt';
import { loadConfig } from '../src/config.ts';
import { allLockersFilter, decodeResponse, deviceUsername } from '../src/contract/index.ts';
import { startFleet } from '../src/device/fleet.ts';
import { seededRandom } from '../src/device/prng.ts';
import { demoLayout } from '../src/demo/lockers.ts';
import { DEMO_PASSWORD } from '../src/demo/jinquan.ts';
import { createLockerIn } from '../src/modules/lockers/locker.service.ts';
import { updateLocker } from '../src/modules/lockers/locker.repository.ts';
import { demoLockerSecret, setDeviceSecret } from '../src/modules/lockers/provisioning.service.ts';
import { listLockerSites } from '../src/modules/places/places.repository.ts';
import { connectMqtt, serviceCredentials } from '../src/platform/mqtt/client.ts';
import { startServer } from '../src/server.ts';
import { machine, median, percentile, r3, writeResult } from './stats.ts';

const { values: args } = parseArgs({ options: { lockers: { type: 'string', default: '1000' }, opens: { type: 'string', default: '400' }, runs: { type: 'string', default: '3' }, seed: { type: 'string', default: 'bench-cmd' }, 'start-concurrency': { type: 'string', default: '20' } } });
const LOCKERS = Number(args.lockers);
const OPENS = Number(args.opens);
const RUNS = Number(args.runs);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function rawBrokerRoundTrip(url: string, tokenKey: Buffer, n: number): Promise<number[]> {
  const creds = serviceCredentials(tokenKey);
  const a = await connectMqtt({ url, ...creds, clientId: 'antnest-bench-raw-a', log: silent, connectTimeoutMs: 60_000 });
  const b = await connectMqtt({ url, ...creds, clientId: 'antnest-bench-raw-b', log: silent, connectTimeoutMs: 60_000 });
  await b.subscribeAsync('antnest/bench/ping', { qos: 1 });
  await a.subscribeAsync('antnest/bench/pong', { qos: 1 });
  b.on('message', (_t, p) => void b.publish('antnest/bench/pong', p, { qos: 1 }));
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      a.once('message', () => resolve());
      a.publish('antnest/bench/ping', String(i), { qos: 1 });
    });
    samples.push(performance.now() - t0);
  }
  await Promise.all([a.endAsync(), b.endAsync()]);
  return samples;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-bench-'));
  const config = loadConfig({ ANTNEST_DEMO_FLEET: 'false', PORT: '0', MQTT_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}` }, { demo: true });
  const server = await startServer(config);
  const { db } = server.database;
  // Lockers beyond the demo's own: spread over the demo's sites.
  const ids = await db.transaction().execute(async (trx) => {
    const sites = (await Promise.all((await trx.selectFrom('communities').select('id').execute()).map((c) => listLockerSites(trx, c.id, { limit: 10_000, offset: 0 })))).flat();
    const out: string[] = [];
    for (let i = 0; i < LOCKERS; i++) {
      const id = `bench-${String(i).padStart(5, '0')}`;
      await createLockerIn(trx, { clock: { now: () => Date.now() }, random: { bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256))), int: (m) => Math.floor(Math.random() * m) } }, null, sites[i % sites.length]!.id, { id, name: `压测柜${i}`, compartments: demoLayout(24) });
      await setDeviceSecret(trx, id, demoLockerSecret(config.secrets.tokenKey, id));
      await updateLocker(trx, id, { status: 'active' });
      out.push(id);
    }
    return out;
  });
  const fleet = await startFleet({ brokerUrl: server.mqttUrl, seed: args.seed!, timeScale: 0.01, doorAutoCloseMs: 1000, settings: { heartbeatSeconds: 3000 }, startConcurrency: Number(args['start-concurrency']), reconnectPeriodMs: 5000, lockers: ids.map((id) => ({ lockerId: id, username: deviceUsername(id), password: demoLockerSecret(config.secrets.tokenKey, id), compartments: 24 })) });
  const t0 = Date.now();
  while (fleet.stats().online < LOCKERS && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 200));
  const online = fleet.stats().online;
  // Let the connect burst (status, state, booted per locker) drain before measuring.
  const drainStart = Date.now();
  await server.runtime.idle();
  const drainMs = Date.now() - drainStart;

  const login = await fetch(`${server.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const watcher: MqttClient = await connectMqtt({ url: server.mqttUrl, ...serviceCredentials(config.secrets.tokenKey), clientId: 'antnest-bench-watch', log: silent, connectTimeoutMs: 60_000 });
  await watcher.subscribeAsync(allLockersFilter('res'), { qos: 1 });
  const waiting = new Map<string, (status: string) => void>();
  watcher.on('message', (_t, p) => {
    const r = decodeResponse(p);
    if (r.ok) waiting.get(r.value.commandId)?.(r.value.status);
  });

  const rng = seededRandom(args.seed!);
  const runs: { raw: number[]; cmd: number[]; statuses: Record<string, number> }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const raw = await rawBrokerRoundTrip(server.mqttUrl, config.secrets.tokenKey, 1000);
    const cmd: number[] = [];
    const statuses: Record<string, number> = {};
    for (let i = 0; i < OPENS; i++) {
      const locker = ids[rng.int(ids.length)]!;
      const compartment = 1 + rng.int(24);
      const started = performance.now();
      const res = await fetch(`${server.httpUrl}/api/v1/lockers/${locker}/compartments/${compartment}/open`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: '压测：远程开柜' }) });
      const { commandId } = (await res.json()) as { commandId: string };
      const status = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), 10_000);
        waiting.set(commandId, (s) => {
          clearTimeout(timer);
          resolve(s);
        });
      });
      waiting.delete(commandId);
      cmd.push(performance.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    runs.push({ raw, cmd, statuses });
  }
  const rawP50 = median(runs.map((r) => percentile(r.raw, 50)));
  const rawP99 = median(runs.map((r) => percentile(r.raw, 99)));
  const cmdP50 = median(runs.map((r) => percentile(r.cmd, 50)));
  const cmdP99 = median(runs.map((r) => percentile(r.cmd, 99)));
  const result = {
    seed: args.seed,
    lockers: LOCKERS,
    online,
    opensPerRun: OPENS,
    runs: RUNS,
    note: 'Device timings run at timeScale 0.01: the simulated door pops open 3 ms after the relay fires, so the round trip is dominated by the cloud path. Heartbeats are set to 3000 s × 0.01 = every 30 s real time, as in the field.',
    rawBrokerRoundTripMs: { p50: r3(rawP50), p99: r3(rawP99) },
    commandRoundTripMs: { p50: r3(cmdP50), p99: r3(cmdP99) },
    ratio: { p50: r3(cmdP50 / rawP50), p99: r3(cmdP99 / rawP99) },
    statuses: runs.map((r) => r.statuses),
    connectBurstDrainMs: drainMs,
    rss: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  const file = writeResult('command-roundtrip', result);
  console.log(`command round trip with ${online}/${LOCKERS} lockers online on ${machine().cores} cores (medians of ${RUNS} runs)`);
  console.table({ 'raw broker QoS 1 round trip': result.rawBrokerRoundTripMs, 'API open → device answer': result.commandRoundTripMs, ratio: result.ratio });
  console.log(`statuses: ${JSON.stringify(result.statuses)} · RSS ${result.rss} MiB · ${file}`);
  await watcher.endAsync();
  await fleet.stop();
  await server.close();
}

await main();
