/**
 * The parcel-cycle rig the cycle, history and web scenarios share: a forked node on the
 * scaled demo world with its simulated fleet connected and the couriers signed in, and one
 * open-loop window of full cycles at an offered rate with everything its record needs.
 */
import os from 'node:os';
import { deviceUsername } from '../src/contract/index.ts';
import { DEMO_PASSWORD } from '../src/demo/jinquan.ts';
import { MqttLink } from '../src/device/adapters/mqtt-link.ts';
import { type FleetHandle, startFleet } from '../src/device/fleet.ts';
import { BenchNode } from './child.ts';
import { CycleDriver, type CycleTally, type StepSamples } from './cycle-driver.ts';
import type { FloorPrices } from './floor.ts';
import { openLoop } from './load.ts';
import { cpuSeconds, p50p99, r3, sleep } from './stats.ts';
import { kdfStandIn } from './kdf-stand-in.ts';

/** p99 above this (ms) on the request/command steps ends the ramp. */
export const P99_LIMIT_MS = 50;
export const STEPS = ['deposit', 'depositOpen', 'notice', 'pickup'] as const;
/** The steps the 50 ms rule applies to; `notice` is reported but not gated (an SMS provider's pace is not the node's). */
const GATED = ['deposit', 'depositOpen', 'pickup'] as const;

type NodeStats = {
  cpu: number;
  rssMiB: number;
  commits: number;
  /** Data statements: transaction control is `control`. */
  statements: number;
  control: number;
  events: number;
  commands: number;
  answered: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Group commit (ADR 0036): transactions committed and the pieces of work in them, since the start. */
  groups: number;
  groupedItems: number;
};

/** Application messages the fleet's links carried so far, both ways (the wire's count, not the database's). */
const wire = () => MqttLink.traffic.published + MqttLink.traffic.received;

/** A node with a scaled world and its connected fleet. */
export interface Rig {
  node: BenchNode;
  fleet: FleetHandle;
  driver: CycleDriver;
  /** How the fleet derived offline verifiers: real scrypt, or the off-CPU stand-in (ms per derivation). */
  kdf: { mode: 'scrypt' } | { mode: 'stand-in'; msPerDerivation: number };
  info: {
    httpUrl: string;
    mqttUrl: string;
    sites: number;
    compartments: number;
    seededMs: number;
    history: unknown;
  };
  stop(): Promise<void>;
}

/** Start a node on the scaled world, connect its fleet and sign the couriers in. */
export async function startRig(opts: {
  lockers: number;
  halls: number;
  seed: string;
  historyParcels?: number;
  /** Replace the fleet's scrypt by an off-CPU wait of the same duration (bench/kdf-stand-in.ts). */
  kdfStandIn?: boolean;
  log: (s: string) => void;
}): Promise<Rig> {
  const node = await BenchNode.start({ maxOldSpaceMiB: 4096 });
  try {
    return await rigOn(node, opts);
  } catch (e) {
    await node.stop();
    throw e;
  }
}

async function rigOn(node: BenchNode, opts: Parameters<typeof startRig>[0]): Promise<Rig> {
  const info = await node.call<
    Rig['info'] & { lockers: { lockerId: string; password: string; compartments: number[] }[] }
  >('server', {
    lockerSites: opts.lockers,
    halls: opts.halls,
    historyParcels: opts.historyParcels ?? 0,
    seed: opts.seed,
  });
  opts.log(
    `node up: ${info.lockers.length} lockers, ${info.compartments} compartments, seeded in ${Math.round(info.seededMs / 100) / 10} s${info.history ? `, history ${JSON.stringify(info.history)}` : ''}`,
  );
  const standIn = opts.kdfStandIn ? await kdfStandIn() : null;
  if (standIn)
    opts.log(
      `fleet: scrypt replaced by an off-CPU wait of ${standIn.ms} ms per verifier (measured)`,
    );
  // timeScale 0.01: the door pops open 3 ms after the relay, heartbeats (3000 s × 0.01) every 30 s real time; doors close only when the driver shuts them.
  const fleet = await startFleet({
    ...(standIn ? { deriveCodeHash: standIn.derive } : {}),
    brokerUrl: info.mqttUrl,
    seed: opts.seed,
    timeScale: 0.01,
    doorAutoCloseMs: 10_000_000,
    settings: { heartbeatSeconds: 3000 },
    startConcurrency: 20,
    reconnectPeriodMs: 5000,
    lockers: info.lockers.map((l) => ({
      lockerId: l.lockerId,
      username: deviceUsername(l.lockerId),
      password: l.password,
      compartments: l.compartments,
    })),
  });
  const t0 = Date.now();
  while (fleet.stats().online < info.lockers.length && Date.now() - t0 < 600_000) await sleep(250);
  // Measuring with lockers missing would report timeouts as the product's latency: stop instead.
  if (fleet.stats().online < info.lockers.length * 0.98) {
    await fleet.stop();
    throw new Error(
      `only ${fleet.stats().online}/${info.lockers.length} lockers connected within 10 minutes (machine load ${os.loadavg()[0]!.toFixed(1)}); not measuring`,
    );
  }
  // The connect burst (status, state, booted, config) must drain before measuring.
  let last = -1;
  for (;;) {
    await sleep(1000);
    const s = await node.call<NodeStats>('stats');
    if (s.events === last) break;
    last = s.events;
  }
  opts.log(
    `fleet online: ${fleet.stats().online}/${info.lockers.length} after ${Math.round((Date.now() - t0) / 100) / 10} s`,
  );
  const driver = new CycleDriver(node, info.httpUrl, fleet, opts.seed);
  await driver.signIn(DEMO_PASSWORD);
  const kdf = standIn
    ? ({ mode: 'stand-in', msPerDerivation: standIn.ms } as const)
    : ({ mode: 'scrypt' } as const);
  return {
    node,
    fleet,
    driver,
    kdf,
    info,
    stop: async () => (await fleet.stop(), await node.stop()),
  };
}

/** One open-loop window at an offered rate, with everything the record needs. */
export async function window(
  rig: Rig,
  rate: number,
  seconds: number,
  label: string,
  prices: FloorPrices | null,
) {
  const samples: StepSamples = { deposit: [], depositOpen: [], notice: [], pickup: [] };
  const tally: CycleTally = { started: 0, completed: 0, failed: 0, errors: {}, lastDoneAt: 0 };
  const pick = rig.driver.picker(label);
  const running: Promise<void>[] = [];
  // The idle fleet's background (heartbeats, snapshots, pollers), measured just before the window, is
  // subtracted to price what one more cycle costs: the marginal CPU, and capacity = 1000 / that per core.
  const idleSeconds = Math.min(3, seconds);
  const i0 = await rig.node.call<NodeStats>('stats');
  const iw0 = wire();
  const it0 = performance.now();
  await sleep(idleSeconds * 1000);
  const i1 = await rig.node.call<NodeStats>('stats');
  const idleS = (performance.now() - it0) / 1000;
  const idleRate = (k: keyof NodeStats) => (i1[k] - i0[k]) / idleS;
  const idleWirePerSec = (wire() - iw0) / idleS;
  const s0 = await rig.node.call<NodeStats>('stats');
  const w0 = wire();
  const k0 = { ...MqttLink.traffic.byKind };
  const b0 = cpuSeconds(); // this process: the fleet and the load generator
  const t0 = performance.now();
  const ol = await openLoop(
    rate,
    seconds,
    label,
    (_i, at) =>
      void running.push(
        rig.driver.cycle(pick(), at, `B${label.replace(/\W/g, '')}-`, samples, tally),
      ),
  );
  await Promise.all(running);
  const s1 = await rig.node.call<NodeStats>('stats');
  const b1 = cpuSeconds();
  const n = Math.max(1, tally.completed);
  const d = (k: keyof NodeStats) => (s1[k] - s0[k]) / n;
  /** Every application message on the wire (facts, answers, signals, snapshots, heartbeats, commands), per cycle. */
  const messages = (wire() - w0) / n;
  /** What the database recorded: facts stored, commands queued, answers recorded (v2 outcomes count twice: fact and answer). */
  const recorded = d('events') + d('commands') + d('answered');
  const cpuPerCycleMs = ((s1.cpu - s0.cpu) / n) * 1000;
  const elapsedS = (performance.now() - t0) / 1000;
  /** Per cycle with the idle background of the same duration taken out. */
  const marginal = (k: keyof NodeStats) => (s1[k] - s0[k] - idleRate(k) * elapsedS) / n;
  const marginalCpuMs = marginal('cpu') * 1000;
  const floorMs = prices
    ? (prices.cpuPerHttpRequestUs * 1 +
        prices.cpuPerBrokerMessageUs * messages +
        prices.cpuPerCommitUs * d('commits')) /
      1000
    : Number.NaN;
  const steps = Object.fromEntries(STEPS.map((k) => [k, p50p99(samples[k])])) as Record<
    (typeof STEPS)[number],
    { p50: number; p99: number; n: number }
  >;
  return {
    offeredPerSec: rate,
    started: tally.started,
    completed: tally.completed,
    failed: tally.failed,
    errors: tally.errors,
    achievedPerSec: r3(
      (tally.completed / (Math.max(tally.lastDoneAt, t0 + seconds * 1000) - t0)) * 1000,
    ),
    generatorLateP99Ms: r3(ol.lateP99),
    stepsMs: steps,
    nodeCpuPerCycleMs: r3(cpuPerCycleMs),
    /** The fleet's and the load generator's CPU (one process, apart from the node's). */
    fleetAndGeneratorCpuPerCycleMs: r3(((b1 - b0) / n) * 1000),
    nodeCpuCoresBusy: r3((s1.cpu - s0.cpu) / elapsedS),
    idleNodeCpuCoresBusy: r3(idleRate('cpu')),
    marginalNodeCpuPerCycleMs: r3(marginalCpuMs),
    capacityCyclesPerSecPerCore: r3(marginalCpuMs > 0 ? 1000 / marginalCpuMs : Number.NaN),
    /** The node's event loop while the window ran: how long it was held at the 99th percentile and at worst. */
    /** The wire count by direction and topic kind, per cycle (idle background included). */
    wireByKind: Object.fromEntries(
      Object.entries(MqttLink.traffic.byKind).map(([k, v]) => [k, r3((v - (k0[k] ?? 0)) / n)]),
    ),
    nodeLoopDelayMs: { p99: r3(s1.loopDelayP99Ms), max: r3(s1.loopDelayMaxMs) },
    /** Pieces of work per group-committed transaction in the window (1 = no grouping happened). */
    workPerGroupCommit: r3(
      (s1.groupedItems - s0.groupedItems) / Math.max(1, s1.groups - s0.groups),
    ),
    perCycleMarginal: {
      brokerMessages: r3(messages - (idleWirePerSec * elapsedS) / n),
      commits: r3(marginal('commits')),
      sqlStatements: r3(marginal('statements')),
    },
    perCycle: {
      httpRequests: 1,
      brokerMessages: r3(messages),
      recordedMessages: r3(recorded),
      commits: r3(d('commits')),
      sqlStatements: r3(d('statements')),
      /** BEGIN, COMMIT, SAVEPOINT, RELEASE: not in sqlStatements since 2026-12-06 (they were before). */
      controlStatements: r3(d('control')),
    },
    floorCpuPerCycleMs: r3(floorMs),
    ratioToFloor: r3(cpuPerCycleMs / floorMs),
    nodeRssMiB: Math.round(s1.rssMiB),
  };
}
/** One window's record. */
export type Window = Awaited<ReturnType<typeof window>>;

/** Did a window hold: every cycle finished and p99 under the limit on the gated steps. */
export function held(w: Window): boolean {
  return w.failed <= w.started * 0.01 && GATED.every((k) => w.stepsMs[k].p99 <= P99_LIMIT_MS);
}
