/**
 * The fleet simulator: N simulated lockers in one process, each a full reference agent
 * (same use cases, same MQTT contract) on an in-memory store and a simulated cabinet.
 * Faults — link drops, agent crashes, jammed doors — follow a schedule drawn from one
 * seed: the same seed gives the same schedule, so a failure seen once can be replayed.
 */
import type { DeviceSettings } from '../contract/commands.ts';
import { type Clock, systemClock } from '../kernel/clock.ts';
import { MemoryStore } from './adapters/memory-store.ts';
import { SimulatorLockBus } from './adapters/simulator-lock-bus.ts';
import { type LockerAgentHandle, startLockerAgent } from './agent.ts';
import { type DeviceLog, silentLog } from './log.ts';
import { seededRandom } from './prng.ts';
import { type HandOptions, SimulatedHands } from './simulated-hands.ts';
import type { DeriveCodeHash } from './context.ts';
import type { AgentStore } from './ports/store.ts';

/** One simulated locker. */
export interface FleetLocker {
  lockerId: string;
  username: string;
  password: string;
  /** Compartment numbers, or a count. */
  compartments: readonly number[] | number;
  /** Serve this locker's touchscreen on this port (0: any free one). */
  screenPort?: number;
  screenHost?: string;
}

/** Fault rates; every* values are mean seconds between events per locker (exponentially distributed). */
export interface FleetFaults {
  dropLinkEvery?: number;
  restartEvery?: number;
  /** Probability that an open jams. */
  jamProbability?: number;
}

/** Options of startFleet. */
export interface FleetOptions {
  brokerUrl: string;
  lockers: readonly FleetLocker[];
  seed: number | string;
  faults?: FleetFaults;
  /** Multiplies device durations and fault times (0.01 runs a fleet-hour in 36 s). */
  timeScale?: number;
  clock?: Clock;
  log?: DeviceLog;
  settings?: Partial<DeviceSettings>;
  /** Simulated residents close a door this long after it opened (ms). Default 8000. */
  doorAutoCloseMs?: number;
  /** Agents connecting at once while starting. Default 50. */
  startConcurrency?: number;
  reconnectPeriodMs?: number;
  /** Simulated people who fill and empty compartments when doors open for deposits and pickups (the demo); off by default. */
  hands?: HandOptions;
  /**
   * Each locker's store (default: in memory, gone with the process). A fleet that outlives its
   * process, as the demo's does across `npm start`s, keeps a file per locker: a locker that
   * forgot its seq would have every new fact refused as a duplicate by the cloud.
   */
  storeFor?: (lockerId: string) => AgentStore;
  /** Benchmarks only: stands in for scrypt when the agents derive verifiers (see DeriveCodeHash). */
  deriveCodeHash?: DeriveCodeHash;
}

/** A scheduled fault. */
export interface FaultEvent {
  /** Seconds after the locker started (before timeScale). */
  at: number;
  kind: 'drop_link' | 'restart';
}

/** A simulated locker in the running fleet. */
export interface FleetMember {
  readonly lockerId: string;
  readonly spec: FleetLocker;
  restarts: number;
  launching: boolean;
  readonly bus: SimulatorLockBus;
  readonly store: AgentStore;
  readonly hands: SimulatedHands | undefined;
  agent: LockerAgentHandle;
}

/** The running fleet. */
export interface FleetHandle {
  readonly seed: string;
  readonly members: ReadonlyMap<string, FleetMember>;
  /** Faults injected so far. */
  stats(): { lockers: number; online: number; dropsInjected: number; restartsInjected: number };
  stop(): Promise<void>;
}

/** The first `count` faults of a locker's schedule: a pure function of seed, locker and rates. */
export function faultPlan(
  seed: number | string,
  lockerId: string,
  faults: FleetFaults,
  count: number,
): FaultEvent[] {
  const streams = (['drop_link', 'restart'] as const)
    .map((kind) => ({
      kind,
      mean: kind === 'drop_link' ? faults.dropLinkEvery : faults.restartEvery,
    }))
    .filter(
      (s): s is { kind: FaultEvent['kind']; mean: number } => s.mean !== undefined && s.mean > 0,
    )
    .map((s) => ({ ...s, rng: seededRandom(`${seed}:${lockerId}:${s.kind}`), next: 0 }));
  const draw = (s: (typeof streams)[number]) => (s.next += -Math.log(1 - s.rng.float()) * s.mean);
  streams.forEach(draw);
  const out: FaultEvent[] = [];
  while (out.length < count && streams.length > 0) {
    const s = streams.reduce((a, b) => (b.next < a.next ? b : a));
    out.push({ at: Math.round(s.next * 1000) / 1000, kind: s.kind });
    draw(s);
  }
  return out;
}

/** Start the fleet; resolves once every locker's agent has started (not necessarily connected). */
export async function startFleet(opts: FleetOptions): Promise<FleetHandle> {
  const seed = String(opts.seed);
  const log = opts.log ?? silentLog;
  const scale = opts.timeScale ?? 1;
  const faults = opts.faults ?? {};
  const members = new Map<string, FleetMember>();
  const timers = new Set<NodeJS.Timeout>();
  let drops = 0;
  let restarts = 0;
  let stopping = false;
  log.info({ seed, lockers: opts.lockers.length, faults }, `fleet seed=${seed}`);

  const launch = (
    l: FleetLocker,
    bus: SimulatorLockBus,
    store: AgentStore,
    generation: number,
    hands?: SimulatedHands,
  ) =>
    startLockerAgent({
      lockerId: l.lockerId,
      brokerUrl: opts.brokerUrl,
      username: l.username,
      password: l.password,
      store,
      lockBus: bus,
      clock: opts.clock ?? systemClock,
      random: seededRandom(`${seed}:${l.lockerId}:ids:${generation}`),
      timeScale: scale,
      log,
      outboxKeepSent: 500,
      reconnectPeriodMs:
        opts.reconnectPeriodMs ?? 1000 + seededRandom(`${seed}:${l.lockerId}:backoff`).int(2000),
      ...(opts.settings ? { settings: opts.settings } : {}),
      ...(hands ? { wrapLink: (link) => hands.watch(link) } : {}),
      ...(opts.deriveCodeHash ? { deriveCodeHash: opts.deriveCodeHash } : {}),
      ...(l.screenPort !== undefined
        ? { screenPort: l.screenPort, screenHost: l.screenHost ?? '127.0.0.1' }
        : {}),
    });

  const schedule = (m: FleetMember, plan: Iterator<FaultEvent>, startedAt: number) => {
    const next = plan.next();
    if (next.done || stopping) return;
    const t = setTimeout(
      () => {
        timers.delete(t);
        if (stopping) return;
        if (next.value.kind === 'drop_link') {
          drops++;
          m.agent.dropLink();
        } else if (!m.launching) {
          // Two agents on one store would fight over the client id: skip a restart while one is starting.
          restarts++;
          m.launching = true;
          m.agent.crash();
          void launch(m.spec, m.bus, m.store, ++m.restarts, m.hands).then(async (a) => {
            m.launching = false;
            if (stopping) await a.stop();
            else m.agent = a;
          });
        }
        schedule(m, plan, startedAt);
      },
      Math.max(0, startedAt + next.value.at * 1000 * scale - Date.now()),
    );
    t.unref?.();
    timers.add(t);
  };

  const queue = [...opts.lockers];
  const worker = async () => {
    for (let l = queue.shift(); l; l = queue.shift()) {
      const jam = seededRandom(`${seed}:${l.lockerId}:jam`);
      const bus = new SimulatorLockBus({
        compartments: l.compartments,
        timeScale: scale,
        autoCloseMs: opts.doorAutoCloseMs ?? 8000,
        jamProbability: faults.jamProbability ?? 0,
        chance: jam.float,
      });
      const store = opts.storeFor?.(l.lockerId) ?? new MemoryStore();
      const hands = opts.hands
        ? new SimulatedHands(bus, { ...opts.hands, timeScale: scale })
        : undefined;
      const m: FleetMember = {
        lockerId: l.lockerId,
        spec: l,
        restarts: 0,
        launching: false,
        bus,
        store,
        hands,
        agent: await launch(l, bus, store, 0, hands),
      };
      members.set(l.lockerId, m);
      // A locker's faults count from its own start: a slow start-up (a loaded machine, a big fleet)
      // must not fire the faults it "missed" in one burst before the locker was ever online.
      schedule(m, planIterator(seed, l.lockerId, faults), Date.now());
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(opts.startConcurrency ?? 50, Math.max(1, queue.length)) },
      worker,
    ),
  );

  return {
    seed,
    members,
    stats: () => ({
      lockers: members.size,
      online: [...members.values()].filter((m) => m.agent.online()).length,
      dropsInjected: drops,
      restartsInjected: restarts,
    }),
    stop: async () => {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(
        [...members.values()].map(
          async (m) => (
            m.hands?.close(),
            await m.agent.stop(),
            await m.bus.close(),
            m.store.close()
          ),
        ),
      );
    },
  };
}

function* planIterator(seed: string, lockerId: string, faults: FleetFaults): Iterator<FaultEvent> {
  // faultPlan is prefix-stable, so each bigger block extends the one before it.
  let done = 0;
  for (let size = 64; ; size *= 2) {
    const block = faultPlan(seed, lockerId, faults, size);
    yield* block.slice(done);
    done = block.length;
    if (block.length < size) return;
  }
}
