/**
 * A real node for browser tests: demo-seeded SQLite, the embedded broker, and ONE real
 * locker agent (simulated cabinet) for a demo locker, serving the kiosk app on its own
 * local port like a cabinet does. The test drives doors through the simulator.
 */
import type { SimulatorLockBus } from '../../src/device/adapters/simulator-lock-bus.ts';
import type { LockerAgentHandle } from '../../src/device/agent.ts';
import type { RunningServer } from '../../src/server.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startDemoWorld } from '../demo-world.ts';
import { ensureWebBuilt, launch } from './browser.ts';

export interface BrowserWorld {
  server: RunningServer;
  agent: LockerAgentHandle;
  bus: SimulatorLockBus;
  lockerId: string;
  base: string;
  screenUrl: string;
  /** Call the API as a demo user (password login) or with a token. */
  api(
    method: string,
    url: string,
    who: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/** Start the node and the agent of `lockerId`. */
export async function startBrowserWorld(lockerId = 'jinquan-0001'): Promise<BrowserWorld> {
  const w = await startDemoWorld('sqlite', {
    lockerId,
    screen: true,
    captureSms: false,
    agent: { reconnectPeriodMs: 200, settings: { uvDefaultSeconds: 20 } },
  }); // 20 s UV cycles: 1 s here
  return {
    server: w.server,
    agent: w.agent,
    bus: w.bus,
    lockerId,
    base: w.server.httpUrl,
    screenUrl: w.agent.screenUrl!,
    api: async (method, url, who, body) => {
      const r = await w.api(who, method as 'GET', url, body as object | undefined);
      return { status: r.statusCode, json: r.body ? r.json() : null };
    },
    stop: () => w.stop(),
  };
}

/**
 * The usual set-up of a browser test file: the web apps built, one world and one Chromium for
 * the file, both closed after it. `set` receives them once they are up.
 */
export function useBrowserWorld(set: (w: BrowserWorld, browser: Browser) => void): void {
  let w: BrowserWorld | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
    set(w, browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });
}
