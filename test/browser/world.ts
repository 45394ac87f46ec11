/**
 * A real node for browser tests: demo-seeded SQLite, the embedded broker, and ONE real
 * locker agent (simulated cabinet) for a demo locker, serving the kiosk app on its own
 * local port like a cabinet does. The test drives doors through the simulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { deviceUsername } from '../../src/contract/index.ts';
import { SimulatorLockBus } from '../../src/device/adapters/simulator-lock-bus.ts';
import { type LockerAgentHandle, startLockerAgent } from '../../src/device/agent.ts';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { demoLockerSecret } from '../../src/modules/lockers/provisioning.service.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { TEST_ENV } from '../harness.ts';

export interface BrowserWorld {
  server: RunningServer;
  agent: LockerAgentHandle;
  bus: SimulatorLockBus;
  lockerId: string;
  base: string;
  screenUrl: string;
  /** Call the API as a demo user (password login) or with a token. */
  api(method: string, url: string, who: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/** Start the node and the agent of `lockerId`. */
export async function startBrowserWorld(lockerId = 'jinquan-0001'): Promise<BrowserWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-browser-'));
  const config = loadConfig({ ...TEST_ENV, PORT: '0', MQTT_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dir, ANTNEST_DEMO_FLEET: 'false', DATABASE_URL: 'sqlite::memory:' }, { demo: true });
  const server = await startServer(config);
  const demo = server.demoLockers.find((d) => d.lockerId === lockerId);
  if (!demo) throw new Error(`no demo locker ${lockerId}`);
  const bus = new SimulatorLockBus({ compartments: demo.compartments, popOpenMs: 20, autoCloseMs: null });
  const agent = await startLockerAgent({
    lockerId,
    brokerUrl: server.mqttUrl,
    username: deviceUsername(lockerId),
    password: demoLockerSecret(config.secrets.tokenKey, lockerId),
    storePath: path.join(dir, `${lockerId}.db`),
    lockBus: bus,
    timeScale: 0.05,
    reconnectPeriodMs: 200,
    screenPort: 0,
  });
  await agent.whenOnline(10_000);
  const tokens = new Map<string, string>();
  const api: BrowserWorld['api'] = async (method, url, who, body) => {
    let token = tokens.get(who);
    if (!token) {
      const r = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: who, password: DEMO_PASSWORD } });
      token = r.json().accessToken as string;
      tokens.set(who, token);
    }
    const r = await server.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { payload: body as object } : {}) });
    return { status: r.statusCode, json: r.body ? r.json() : null };
  };
  let stopped = false;
  return {
    server,
    agent,
    bus,
    lockerId,
    base: server.httpUrl,
    screenUrl: agent.screenUrl!,
    api,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await agent.stop();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
