/** Shared set-up for agent tests: a broker, a probe, temp store files, a fast simulated cabinet. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deviceUsername } from '../../contract/topics.ts';
import { ManualClock } from '../../kernel/clock.ts';
import { SimulatorLockBus, type SimulatorOptions } from '../adapters/simulator-lock-bus.ts';
import { type LockerAgentHandle, type LockerAgentOptions, startLockerAgent } from '../agent.ts';

/** Durations in tests run at 1/100 of real time: a 10 s door window takes 100 ms. */
export const TEST_TIME_SCALE = 0.01;

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'antnest-device-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A simulated cabinet with test-speed timings. */
export function testBus(opts: Partial<SimulatorOptions> = {}): SimulatorLockBus {
  return new SimulatorLockBus({
    compartments: 6,
    timeScale: TEST_TIME_SCALE,
    autoCloseMs: null,
    ...opts,
  });
}

/** Start an agent against brokerUrl with test-friendly defaults. */
export function testAgent(
  o: {
    lockerId: string;
    brokerUrl: string;
    storePath: string;
    lockBus: SimulatorLockBus;
    clock?: ManualClock;
  } & Partial<LockerAgentOptions>,
): Promise<LockerAgentHandle> {
  return startLockerAgent({
    username: deviceUsername(o.lockerId),
    password: 'test-secret',
    clock: o.clock ?? new ManualClock(),
    timeScale: TEST_TIME_SCALE,
    reconnectPeriodMs: 50,
    ...o,
  });
}
