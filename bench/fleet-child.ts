/**
 * A process of simulated lockers for the fleet scenario, so ten thousand agents get
 * their own heap and CPU apart from the node under test and the load generator.
 * Answers over IPC: add lockers (they connect and stay), report how many are online
 * and the process's memory, stop.
 */
import { deviceUsername } from '../src/contract/index.ts';
import { type FleetHandle, startFleet } from '../src/device/fleet.ts';
import { type Handler, serveOps } from './child-ipc.ts';
import { cpuSeconds } from './stats.ts';

const fleets: FleetHandle[] = [];

const ops: Record<string, Handler> = {
  async add(a) {
    const lockers = a.lockers as { lockerId: string; password: string; compartments: number[] }[];
    // timeScale 0.01 with 3000 s heartbeats: a heartbeat every 30 s real time, the door opening 3 ms after the relay.
    fleets.push(
      await startFleet({
        brokerUrl: String(a.brokerUrl),
        seed: String(a.seed),
        timeScale: 0.01,
        doorAutoCloseMs: 1000,
        settings: { heartbeatSeconds: 3000 },
        startConcurrency: 25,
        reconnectPeriodMs: 5000,
        lockers: lockers.map((l) => ({
          lockerId: l.lockerId,
          username: deviceUsername(l.lockerId),
          password: l.password,
          compartments: l.compartments,
        })),
      }),
    );
    return {};
  },
  async stats() {
    const online = fleets.reduce((n, f) => n + f.stats().online, 0);
    const lockers = fleets.reduce((n, f) => n + f.stats().lockers, 0);
    return { online, lockers, rssMiB: process.memoryUsage().rss / 2 ** 20, cpu: cpuSeconds() };
  },
  async stop() {
    await Promise.all(fleets.map((f) => f.stop()));
    setTimeout(() => process.exit(0), 50);
    return {};
  },
};

serveOps(ops);
