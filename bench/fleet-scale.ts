/**
 * Fleet scenario: how many simulated lockers one embedded node holds — heartbeats every
 * 30 s, state snapshots, occasional remote opens — with the command round trip
 * (staff API open → outbox → dispatcher → embedded broker → locker → its answer on the
 * broker: a `res`, or for a contract-v2 locker the `open_outcome` fact that replaces it) p99
 * under 100 ms, and what the node's memory is at each size. The fleet runs
 * in its own process (bench/fleet-child.ts); the node in another.
 */
import type { MqttClient } from 'mqtt';
import { allLockersFilter, decodeEvent, decodeResponse } from '../src/contract/index.ts';
import { DEMO_PASSWORD } from '../src/demo/jinquan.ts';
import { seededRandom } from '../src/device/prng.ts';
import { connectMqtt, serviceCredentials } from '../src/platform/mqtt/client.ts';
import { BenchNode } from './child.ts';
import { httpJson, openLoop } from './load.ts';
import type { ScenarioContext } from './run.ts';
import { median, p50p99, r3, sleep } from './stats.ts';

const P99_LIMIT_MS = 100;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
type Locker = { lockerId: string; password: string; compartments: number[] };

/** The scenario. */
export async function fleetScenario(ctx: ScenarioContext): Promise<object> {
  const log = console.log;
  const max = ctx.short ? 100 : Number(ctx.args['max-lockers'] ?? 10_000);
  const sizes = ctx.short ? [100] : [1000, 2500, 5000, 7500, 10_000].filter((n) => n <= max);
  const seconds = ctx.short ? 4 : 15;
  const opensPerSec = ctx.short ? 5 : 10;
  const node = await BenchNode.start({ maxOldSpaceMiB: 4096 });
  const fleetProc = await BenchNode.start({ script: 'fleet-child.ts', maxOldSpaceMiB: 8192 });
  const sizesOut: Record<string, unknown>[] = [];
  try {
    const info = await node.call<{
      httpUrl: string;
      mqttUrl: string;
      tokenKey: string;
      lockers: Locker[];
      seededMs: number;
    }>('server', { lockerSites: max, halls: ctx.short ? 3 : 50, seed: ctx.seed });
    log(
      `node up: ${info.lockers.length} lockers registered in ${Math.round(info.seededMs / 1000)} s`,
    );
    const idle = await node.call<{ rssMiB: number }>('stats');
    const login = await httpJson(`${info.httpUrl}/api/v1/auth/login`, 'POST', {
      username: 'admin',
      password: DEMO_PASSWORD,
    });
    const token = (login.body as { accessToken: string }).accessToken;
    const watcher: MqttClient = await connectMqtt({
      url: info.mqttUrl,
      ...serviceCredentials(Buffer.from(info.tokenKey, 'base64')),
      clientId: 'antnest-bench-watch',
      log: silent,
      connectTimeoutMs: 60_000,
    });
    // A v2 locker (the fleet's default) answers an open that ran with its open_outcome fact and
    // sends no `res` (ADR 0032); listening to `res` alone, every open timed out from then on.
    await watcher.subscribeAsync([allLockersFilter('res'), allLockersFilter('evt')], { qos: 1 });
    const waiting = new Map<string, (at: number) => void>();
    watcher.on('message', (t, p) => {
      const at = performance.now();
      if (t.endsWith('/res')) {
        const r = decodeResponse(p);
        if (r.ok) waiting.get(r.value.commandId)?.(at);
        return;
      }
      const e = decodeEvent(p);
      if (e.ok && e.value.type === 'open_outcome') waiting.get(e.value.commandId)?.(at);
    });
    let connected = 0;
    for (const size of sizes) {
      const t0 = Date.now();
      await fleetProc.call('add', {
        brokerUrl: info.mqttUrl,
        seed: ctx.seed,
        lockers: info.lockers.slice(connected, size),
      });
      connected = size;
      let online = 0;
      while (Date.now() - t0 < 300_000) {
        online = (await fleetProc.call<{ online: number }>('stats')).online;
        if (online >= size) break;
        await sleep(500);
      }
      // Let the connect burst drain: wait until the node's event count stops moving.
      let last = -1;
      for (;;) {
        await sleep(1000);
        const s = await node.call<{ events: number }>('stats');
        if (s.events === last) break;
        last = s.events;
      }
      const connectSeconds = r3((Date.now() - t0) / 1000);
      const lockerIds = info.lockers.slice(0, size);
      const runs: {
        p50: number;
        p99: number;
        n: number;
        timeouts: number;
        cpuCoresBusy: number;
      }[] = [];
      for (let run = 0; run < ctx.runs; run++) {
        const rng = seededRandom(`${ctx.seed}:fleet:${size}:${run}`);
        const rtt: number[] = [];
        let timeouts = 0;
        const inflight: Promise<void>[] = [];
        const c0 = await node.call<{ cpu: number }>('stats');
        const w0 = performance.now();
        await openLoop(
          opensPerSec,
          seconds,
          `${ctx.seed}:fleet-arrivals:${size}:${run}`,
          (_i, at) => {
            const l = lockerIds[rng.int(lockerIds.length)]!;
            const compartment = l.compartments[rng.int(l.compartments.length)]!;
            inflight.push(
              (async () => {
                const res = await httpJson(
                  `${info.httpUrl}/api/v1/lockers/${l.lockerId}/compartments/${compartment}/open`,
                  'POST',
                  { reason: '压测：远程开柜' },
                  { authorization: `Bearer ${token}` },
                );
                const commandId = (res.body as { commandId?: string }).commandId;
                if (!commandId) return void timeouts++;
                const done = await new Promise<number | null>((resolve) => {
                  const timer = setTimeout(() => resolve(null), 10_000);
                  waiting.set(commandId, (t) => (clearTimeout(timer), resolve(t)));
                });
                waiting.delete(commandId);
                if (done === null) timeouts++;
                else rtt.push(done - at);
              })().catch(() => void timeouts++),
            );
          },
        );
        await Promise.all(inflight);
        const c1 = await node.call<{ cpu: number }>('stats');
        runs.push({
          ...p50p99(rtt),
          timeouts,
          cpuCoresBusy: r3((c1.cpu - c0.cpu) / ((performance.now() - w0) / 1000)),
        });
      }
      const mem = await node.call<{ rssMiB: number; heapMiB: number }>('stats');
      const fl = await fleetProc.call<{ rssMiB: number; online: number }>('stats');
      const rec = {
        lockers: size,
        online: fl.online,
        connectSeconds,
        commandRoundTripMs: {
          p50: r3(median(runs.map((r) => r.p50))),
          p99: r3(median(runs.map((r) => r.p99))),
        },
        timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
        nodeCpuCoresBusy: r3(median(runs.map((r) => r.cpuCoresBusy))),
        nodeRssMiB: Math.round(mem.rssMiB),
        nodeHeapMiB: Math.round(mem.heapMiB),
        fleetProcessRssMiB: Math.round(fl.rssMiB),
        runs,
      };
      sizesOut.push(rec);
      log(
        `  ${size} lockers (${fl.online} online, connected in ${connectSeconds} s): command RTT p50 ${rec.commandRoundTripMs.p50} / p99 ${rec.commandRoundTripMs.p99} ms, node ${rec.nodeRssMiB} MiB RSS, ${rec.nodeCpuCoresBusy} cores busy`,
      );
      if (rec.commandRoundTripMs.p99 > P99_LIMIT_MS || rec.timeouts > 0 || fl.online < size) break;
    }
    await watcher.endAsync();
    const heldSizes = sizesOut.filter(
      (s) =>
        (s.commandRoundTripMs as { p99: number }).p99 <= P99_LIMIT_MS &&
        s.timeouts === 0 &&
        (s.online as number) >= (s.lockers as number),
    );
    const best = heldSizes[heldSizes.length - 1];
    console.table(
      Object.fromEntries(
        sizesOut.map((s) => [
          `${s.lockers} lockers`,
          {
            'RTT p50 ms': (s.commandRoundTripMs as { p50: number }).p50,
            'RTT p99 ms': (s.commandRoundTripMs as { p99: number }).p99,
            'node RSS MiB': s.nodeRssMiB,
            'node cores busy': s.nodeCpuCoresBusy,
            'fleet RSS MiB': s.fleetProcessRssMiB,
          },
        ]),
      ),
    );
    return {
      runs: ctx.runs,
      windowSeconds: seconds,
      opensPerSec,
      p99LimitMs: P99_LIMIT_MS,
      lockersHeld: best?.lockers ?? 0,
      nodeRssMiBAtHeld: best?.nodeRssMiB ?? null,
      nodeRssMiBIdleBeforeFleet: Math.round(idle.rssMiB),
      notes: [
        'Node and fleet in separate processes on the same machine; round trip from the intended open-loop arrival to the device response seen on the broker.',
        `Heartbeats every 30 s real time per locker; ${opensPerSec} remote opens/s across the fleet; the largest size tried is ${max}.`,
      ],
      sizes: sizesOut,
    };
  } finally {
    await fleetProc.stop();
    await node.stop();
  }
}
