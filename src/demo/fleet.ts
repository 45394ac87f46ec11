/**
 * The demo's living lockers: every seeded cabinet runs as a simulated device in this
 * process, talking to the broker exactly as real hardware would, so `npm start` shows
 * presence, door events and commands working. Simulated people use the cabinets: a door
 * opened for a deposit gets the parcel put in and shut, one opened for a pickup gets it
 * taken out and shut, so a delivery made in the courier app completes. The first
 * cabinet of each compound also serves its touchscreen (the kiosk app), linked from the
 * start page.
 */
import path from 'node:path';
import { deviceUsername } from '../contract/index.ts';
import { SqliteStore } from '../device/adapters/sqlite-store.ts';
import { type FleetHandle, startFleet } from '../device/fleet.ts';
import type { DemoLocker } from './lockers.ts';

/** A fixed seed: the demo behaves the same on every machine. */
export const DEMO_FLEET_SEED = 'jinquan-demo';
/** Demo UV cycles are short (real ones: 300 s), so a visitor sees 已消毒 soon after a deposit or pickup. */
export const DEMO_UV_SECONDS = 20;
/** From a door opening to the parcel in (or out) and the door shut. */
export const DEMO_HAND_MS = 3000;
/** A door opened for anything else (staff, an offline code) is shut by someone after this long. */
export const DEMO_AUTO_CLOSE_MS = 15_000;

/** A locker screen the demo serves. */
export interface DemoScreen {
  lockerId: string;
  place: string;
  url: string;
}

/** The running demo fleet and the screens it serves. */
export interface DemoFleet extends FleetHandle {
  screens: DemoScreen[];
}

/** The cabinets whose screens are served: the first of each compound. */
export function screenLockers(lockers: readonly DemoLocker[]): Set<string> {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const l of lockers) {
    if (seen.has(l.compound)) continue;
    seen.add(l.compound);
    out.add(l.lockerId);
  }
  return out;
}

/** Connect every demo locker to the broker; screens listen on `screenHost` (free ports). */
export async function startDemoFleet(
  brokerUrl: string,
  lockers: DemoLocker[],
  opts: { screenHost?: string; stateDir?: string } = {},
): Promise<DemoFleet> {
  const withScreen = screenLockers(lockers);
  const fleet = await startFleet({
    brokerUrl,
    seed: DEMO_FLEET_SEED,
    settings: { uvDefaultSeconds: DEMO_UV_SECONDS },
    hands: { actMs: DEMO_HAND_MS },
    doorAutoCloseMs: DEMO_AUTO_CLOSE_MS,
    // Each simulated locker's seq, outbox and codes in `stateDir` when given (npm start: the data
    // directory), so a second start goes on where the first stopped.
    ...(opts.stateDir
      ? { storeFor: (id: string) => new SqliteStore(path.join(opts.stateDir!, `${id}.db`)) }
      : {}),
    lockers: lockers.map((l) => ({
      lockerId: l.lockerId,
      username: deviceUsername(l.lockerId),
      password: l.password,
      compartments: l.compartments,
      ...(withScreen.has(l.lockerId)
        ? { screenPort: 0, screenHost: opts.screenHost ?? '127.0.0.1' }
        : {}),
    })),
  });
  const screens = lockers
    .filter((l) => withScreen.has(l.lockerId))
    .map((l) => ({
      lockerId: l.lockerId,
      place: l.place,
      url: fleet.members.get(l.lockerId)?.agent.screenUrl ?? '',
    }))
    .filter((s) => s.url !== '');
  return Object.assign(fleet, { screens });
}
