/**
 * Parcel cycle scenario: the demo subdistrict scaled to 1,500 lockers (≈ 63,000
 * compartments) on the fleet simulator, full cycles (deposit → stored → pickup → closed)
 * through the real HTTP API and MQTT path, open loop at increasing offered rates until
 * p99 breaks 50 ms. Reports the sustained cycles/s, p50/p99 per step, the node's CPU
 * per cycle and its ratio to the floor cost of the same work (HTTP requests, broker
 * messages and commits the cycle needed, priced from the floor measured in this run).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { held, P99_LIMIT_MS, type Rig, startRig, STEPS, window, type Window } from './cycle-rig.ts';
import { type FloorPrices, measureFloor } from './floor.ts';
import { summarizeProfile } from './profile.ts';
import type { ScenarioContext } from './run.ts';
import { median, r3, resultsDir, sleep } from './stats.ts';
import type { ReplayResult } from './store-replay.ts';

/** Ramp the offered rate until a window breaks; returns every window. */
async function ramp(
  rig: Rig,
  rates: number[],
  seconds: number,
  run: string,
  prices: FloorPrices,
  log: (s: string) => void,
): Promise<Window[]> {
  const out: Window[] = [];
  for (const rate of rates) {
    const w = await window(rig, rate, seconds, `${run}-r${rate}`, prices);
    out.push(w);
    log(
      `  ${run} offered ${rate}/s → ${w.achievedPerSec}/s done ${w.completed}/${w.started}, p99 deposit ${w.stepsMs.deposit.p99} · open ${w.stepsMs.depositOpen.p99} · notice ${w.stepsMs.notice.p99} · pickup ${w.stepsMs.pickup.p99} ms, CPU ${w.nodeCpuPerCycleMs} ms/cycle (${w.ratioToFloor}× floor), marginal ${w.marginalNodeCpuPerCycleMs} ms → ${w.capacityCyclesPerSecPerCore} cycles/s per core, per cycle ${w.perCycle.commits} commits · ${w.perCycle.sqlStatements} statements (+ ${w.perCycle.controlStatements} begin/commit/savepoint) · ${w.perCycle.brokerMessages} messages on the wire (marginal ${w.perCycleMarginal.brokerMessages}), loop held p99 ${w.nodeLoopDelayMs.p99} · max ${w.nodeLoopDelayMs.max} ms${Object.keys(w.errors).length ? ` errors ${JSON.stringify(w.errors)}` : ''}`,
    );
    if (!held(w)) break;
    await sleep(1000);
  }
  return out;
}

/** Summarise the ramps of several runs: sustained rate and the figures at it, medians across runs. */
export function summarize(runs: Window[][]) {
  const perRun = runs.map((ws) => {
    const ok = ws.filter(held);
    // When no window held, report the figures of the gentlest one (marked heldAny: false) rather than nothing.
    const best = ok.length ? ok[ok.length - 1]! : ws[0]!;
    const sustained = ok.length ? best.achievedPerSec : 0;
    // Pickup p99 at half the sustained rate: the window whose offered rate is nearest to it.
    const half = ws.reduce((a, b) =>
      Math.abs(b.offeredPerSec - sustained / 2) < Math.abs(a.offeredPerSec - sustained / 2) ? b : a,
    );
    return { sustained, best, half };
  });
  const med = (f: (r: (typeof perRun)[number]) => number | undefined) =>
    r3(median(perRun.map((r) => f(r) ?? Number.NaN)));
  return {
    sustainedCyclesPerSec: med((r) => r.sustained),
    heldAny: runs.every((ws) => ws.some(held)),
    atSustained: {
      stepsMs: Object.fromEntries(
        STEPS.map((k) => [
          k,
          { p50: med((r) => r.best.stepsMs[k].p50), p99: med((r) => r.best.stepsMs[k].p99) },
        ]),
      ),
      nodeCpuPerCycleMs: med((r) => r.best.nodeCpuPerCycleMs),
      floorCpuPerCycleMs: med((r) => r.best.floorCpuPerCycleMs),
      ratioToFloor: med((r) => r.best.ratioToFloor),
      marginalNodeCpuPerCycleMs: med((r) => r.best.marginalNodeCpuPerCycleMs),
      capacityCyclesPerSecPerCore: med((r) => r.best.capacityCyclesPerSecPerCore),
      idleNodeCpuCoresBusy: med((r) => r.best.idleNodeCpuCoresBusy),
      fleetAndGeneratorCpuPerCycleMs: med((r) => r.best.fleetAndGeneratorCpuPerCycleMs),
      nodeLoopDelayMs: {
        p99: med((r) => r.best.nodeLoopDelayMs.p99),
        max: med((r) => r.best.nodeLoopDelayMs.max),
      },
      perCycle: {
        brokerMessages: med((r) => r.best.perCycle.brokerMessages),
        recordedMessages: med((r) => r.best.perCycle.recordedMessages),
        commits: med((r) => r.best.perCycle.commits),
        sqlStatements: med((r) => r.best.perCycle.sqlStatements),
        controlStatements: med((r) => r.best.perCycle.controlStatements),
      },
      perCycleMarginal: {
        brokerMessages: med((r) => r.best.perCycleMarginal.brokerMessages),
        commits: med((r) => r.best.perCycleMarginal.commits),
        sqlStatements: med((r) => r.best.perCycleMarginal.sqlStatements),
      },
    },
    pickupP99AtHalfSustainedMs: med((r) => r.half.stepsMs.pickup.p99),
  };
}

/**
 * One steady window with the node's SQL captured, replayed raw on a copy of the database
 * in a fresh process (bench/store-replay.ts): SQLite's own CPU for the same statements,
 * per cycle, beside the node's CPU in the same window.
 */
async function priceTheStore(
  rig: Rig,
  rate: number,
  seconds: number,
  prices: FloorPrices,
  log: (s: string) => void,
) {
  const { snapshot } = await rig.node.call<{ snapshot: string }>('store-capture-start');
  const w = await window(rig, rate, seconds, 'store', prices);
  const { log: logFile } = await rig.node.call<{ log: string }>('store-capture-stop');
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'store-replay.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, snapshot, logFile], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as ReplayResult;
  // ANTNEST_BENCH_KEEP=1 keeps them, to replay again by hand (a schema what-if on the copy).
  if (!process.env.ANTNEST_BENCH_KEEP) {
    fs.rmSync(snapshot, { force: true });
    fs.rmSync(logFile, { force: true });
  } else log(`  store replay kept: ${snapshot} ${logFile}`);
  const n = Math.max(1, w.completed);
  const result = {
    offeredPerSec: rate,
    cycles: w.completed,
    nodeCpuPerCycleMs: w.nodeCpuPerCycleMs,
    /** SQLite alone, the same statements in the same order and transactions, per cycle. */
    storeCpuPerCycleMs: r3(r.cpuMs / n),
    storeShareOfNodeCpu: r3(r.cpuMs / n / w.nodeCpuPerCycleMs),
    statementsPerCycle: r3(r.statements / n),
    commitsPerCycle: r3(r.commits / n),
    /** Statements whose outcome differed in the replay (0 unless the copy diverged). */
    divergent: r.divergent,
    firstDivergence: r.firstDivergence,
    /** The replay's costliest statements (wall ms over the window, calls). */
    top: r.top,
  };
  log(
    `  store alone: ${result.storeCpuPerCycleMs} ms of SQLite CPU a cycle replayed raw, ${r3(100 * result.storeShareOfNodeCpu)} % of the node's ${w.nodeCpuPerCycleMs} ms (${r.statements} statements, ${r.commits} commits, ${w.completed} cycles at ${rate}/s; ${r.divergent} divergent)`,
  );
  return result;
}

/** The scenario. */
export async function cycleScenario(ctx: ScenarioContext): Promise<object> {
  const log = console.log;
  const lockers = ctx.short ? 40 : Number(ctx.args.lockers ?? 1500);
  const probe = Boolean(ctx.args.rate || ctx.args.variant);
  // --rate R [--seconds S]: one steady window per run at R cycles/s (profiling and A/B runs), no ramp.
  const seconds = Number(ctx.args.seconds ?? (ctx.short ? 3 : 8));
  const rates = ctx.args.rate
    ? [Number(ctx.args.rate)]
    : ctx.short
      ? [4]
      : [10, 20, 30, 45, 70, 100, 150, 220, 330, 500, 750, 1000, 1500];
  // The fleet's per-parcel scrypt stands in as an off-CPU wait (bench/kdf-stand-in.ts): a real
  // locker spends that CPU on its own board. The second variant leaves it on this machine.
  const variants: { name: string; kdfStandIn: boolean }[] = (
    ctx.short
      ? [{ name: 'node', kdfStandIn: true }]
      : [
          { name: 'node', kdfStandIn: true },
          { name: "fleet's scrypt on this machine", kdfStandIn: false },
        ]
  ).filter((v) => !ctx.args.variant || v.name.startsWith(String(ctx.args.variant)));
  if (!variants.length)
    throw new Error(`--variant ${String(ctx.args.variant)} names no variant (node, fleet)`);
  const floor = await measureFloor(
    { runs: ctx.short ? 1 : 3, seconds: ctx.short ? 1 : 2, httpRate: 500, seed: ctx.seed },
    log,
  );
  const results: Record<string, unknown> = {};
  let profile: unknown = null;
  for (const v of variants) {
    log(`\n${v.name}: ${lockers} lockers`);
    const rig = await startRig({
      lockers,
      halls: ctx.short ? 3 : 50,
      seed: ctx.seed,
      kdfStandIn: v.kdfStandIn,
      log,
    });
    try {
      await window(rig, rates[0]!, 2, 'warmup', null);
      const runs: Window[][] = [];
      for (let run = 0; run < ctx.runs; run++)
        runs.push(await ramp(rig, rates, seconds, `run${run + 1}`, floor.prices, log));
      const summary = summarize(runs);
      if (ctx.cpuProf && v.kdfStandIn) {
        // Profile the node at about 80 % of what it sustained, so the profile shows the steady costs, not the collapse.
        const file = path.join(resultsDir(ctx.short), 'cycle.cpuprofile');
        await rig.node.call('profile-start');
        const w = await window(
          rig,
          Math.max(rates[0]!, Math.round(summary.sustainedCyclesPerSec * 0.8)),
          seconds * 2,
          'profile',
          floor.prices,
        );
        await rig.node.call('profile-stop', { file });
        profile = {
          file: path.relative(process.cwd(), file),
          window: {
            offeredPerSec: w.offeredPerSec,
            achievedPerSec: w.achievedPerSec,
            nodeCpuPerCycleMs: w.nodeCpuPerCycleMs,
          },
          ...summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8'))),
        };
      }
      // The store's own price: every run of the ramp (CI's short one too, which checks the replay
      // did not diverge), and a probe that asks for it (--store-replay).
      const storeReplay =
        v.kdfStandIn && (ctx.args['store-replay'] === true || !probe)
          ? await priceTheStore(
              rig,
              Math.max(rates[0]!, Math.round(summary.sustainedCyclesPerSec * 0.8)),
              seconds * 2,
              floor.prices,
              log,
            )
          : null;
      results[v.name] = {
        storeReplay,
        fleetKdf: rig.kdf,
        world: {
          lockers: rig.info.sites,
          compartments: rig.info.compartments,
          seededSeconds: r3(rig.info.seededMs / 1000),
        },
        ...summary,
        runs,
      };
      console.table({
        [v.name]: {
          'sustained cycles/s': summary.sustainedCyclesPerSec,
          'node CPU ms/cycle': summary.atSustained.nodeCpuPerCycleMs,
          'floor ms/cycle': summary.atSustained.floorCpuPerCycleMs,
          ratio: summary.atSustained.ratioToFloor,
          'pickup p99 @ half (ms)': summary.pickupP99AtHalfSustainedMs,
        },
      });
      console.table(summary.atSustained.stepsMs);
    } finally {
      await rig.stop();
    }
  }
  return {
    runs: ctx.runs,
    lockers,
    windowSeconds: seconds,
    offeredRates: rates,
    p99LimitMs: P99_LIMIT_MS,
    notes: [
      'Node = one forked process (HTTP, embedded Aedes, SQLite, runtimes); the fleet and the load generator run in the parent process on the same machine.',
      'Steps: deposit = POST → 201; depositOpen = POST → door open at the device; notice = door shut on the parcel → SMS with the code leaves the node (sent by the storing node right after its commit); pickup = code typed on the screen → door open at the device. Latencies count from the intended arrival time (open loop).',
      'The ramp stops at the first window with > 1 % failed cycles or p99 > 50 ms on deposit, depositOpen or pickup; sustained = completed cycles/s of the last window that held.',
      "Broker messages per cycle are counted on the wire, at the fleet's MQTT links (MqttLink.traffic): every application message either way (facts, answers, signals, state snapshots, heartbeats, commands) during the window, divided by the cycles completed; perCycleMarginal takes out the idle fleet's background rate. PUBACKs and pings are not counted. recordedMessages is the older count from the database (facts stored + commands queued + answers recorded; a v2 open_outcome counts twice there, snapshots and signals not at all). The floor prices the wire count.",
      'The fleet\'s lockers speak contract v2: a deposit\'s open carries the sealed code, so no sync follows a store. Each locker derives its offline verifier (scrypt, ADR 0017) when the door opens: in "node" that derivation is an off-CPU wait of the measured scrypt time (fleetKdf; a real locker spends that CPU on its own board); in "fleet\'s scrypt on this machine" it is real scrypt on the two cores the node also uses. fleetAndGeneratorCpuPerCycleMs is that process\'s CPU.',
    ],
    floor: floor.medians,
    prices: floor.prices,
    variants: results,
    profile,
  };
}
