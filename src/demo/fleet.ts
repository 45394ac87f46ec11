/**
 * The demo's living lockers: every seeded cabinet runs as a simulated device in this
 * process, talking to the broker exactly as real hardware would, so `npm start` shows
 * presence, door events and commands working.
 */
import { deviceUsername } from '../contract/index.ts';
import { type FleetHandle, startFleet } from '../device/fleet.ts';
import type { DemoLocker } from './lockers.ts';

/** A fixed seed: the demo behaves the same on every machine. */
export const DEMO_FLEET_SEED = 'jinquan-demo';

/** Demo UV cycles are short (real ones: 300 s), so a visitor sees 已消毒 soon after a deposit or pickup. */
export const DEMO_UV_SECONDS = 20;

/** Connect every demo locker to the broker. */
export async function startDemoFleet(brokerUrl: string, lockers: DemoLocker[]): Promise<FleetHandle> {
  return startFleet({
    brokerUrl,
    seed: DEMO_FLEET_SEED,
    settings: { uvDefaultSeconds: DEMO_UV_SECONDS },
    lockers: lockers.map((l) => ({ lockerId: l.lockerId, username: deviceUsername(l.lockerId), password: l.password, compartments: l.compartments })),
  });
}
