/**
 * A demo node (SQLite in memory or a fresh PostgreSQL schema, embedded broker, the Jinquan
 * demo world without its fleet) with one real locker agent on a simulated cabinet: what
 * the end-to-end and browser tests drive. SMS are captured; `api` signs demo users in by
 * password once and calls the API in-process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { deviceUsername } from '../src/contract/index.ts';
import { SimulatorLockBus } from '../src/device/adapters/simulator-lock-bus.ts';
import {
  type LockerAgentHandle,
  type LockerAgentOptions,
  startLockerAgent,
} from '../src/device/agent.ts';
import { DEMO_PASSWORD } from '../src/demo/jinquan.ts';
import { demoLockerSecret } from '../src/modules/lockers/provisioning.service.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { type Dialect, TEST_ENV } from './harness.ts';

export interface DemoWorld {
  server: RunningServer;
  agent: LockerAgentHandle;
  bus: SimulatorLockBus;
  lockerId: string;
  /** Every SMS the node sent, oldest first (empty with `captureSms: false`). */
  sms: { to: string; text: string }[];
  /** Call the API as a demo user (password login) or with a token set by `signIn`. */
  api(
    who: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse>;
  /** Sign a resident in by SMS code; later `api(phone, …)` calls use it. */
  signInByPhone(phone: string): Promise<void>;
  /** Stop the node (and drop its schema); the agent keeps running, offline. Safe to call twice. */
  stopCloud(): Promise<void>;
  /** Stop everything. Safe to call twice. */
  stop(): Promise<void>;
}

/** Start the node and the agent of `lockerId` (its screen API too when `screen`). */
export async function startDemoWorld(
  dialect: Dialect,
  opts: {
    lockerId?: string;
    screen?: boolean;
    agent?: Partial<LockerAgentOptions>;
    /** false: the node's own demo SMS inbox (what the apps show), nothing captured */ captureSms?: boolean;
    /** Build the simulated cabinet yourself (e.g. one whose lamps fail); it gets the demo locker's compartments. */
    bus?: (compartments: number[]) => SimulatorLockBus;
  } = {},
): Promise<DemoWorld> {
  const lockerId = opts.lockerId ?? 'jinquan-0001';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-world-'));
  const schema =
    dialect === 'postgres'
      ? `w_${process.pid}_${Date.now() % 100000}_${Math.floor(Math.random() * 1000)}`
      : undefined;
  const config = loadConfig(
    {
      ...TEST_ENV,
      PORT: '0',
      MQTT_PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      ANTNEST_DEMO_FLEET: 'false',
      DATABASE_URL: dialect === 'sqlite' ? 'sqlite::memory:' : process.env['DATABASE_URL'],
      ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    },
    { demo: true },
  );
  const sms: DemoWorld['sms'] = [];
  const server = await startServer(
    config,
    opts.captureSms === false
      ? {}
      : { sms: { send: async (to, text) => void sms.push({ to, text }) } },
  );
  const demo = server.demoLockers.find((d) => d.lockerId === lockerId);
  if (!demo) throw new Error(`no demo locker ${lockerId}`);
  const bus = opts.bus
    ? opts.bus([...demo.compartments])
    : new SimulatorLockBus({ compartments: demo.compartments, popOpenMs: 20, autoCloseMs: null });
  const agent = await startLockerAgent({
    lockerId,
    brokerUrl: server.mqttUrl,
    username: deviceUsername(lockerId),
    password: demoLockerSecret(config.secrets.tokenKey, lockerId),
    storePath: path.join(dir, `${lockerId}.db`),
    lockBus: bus,
    timeScale: 0.05,
    ...(opts.screen ? { screenPort: 0 } : {}),
    ...opts.agent,
  });
  await agent.whenOnline(10_000);

  const tokens = new Map<string, string>();
  const api: DemoWorld['api'] = async (who, method, url, payload) => {
    let token = tokens.get(who);
    if (!token) {
      token = (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: who, password: DEMO_PASSWORD },
        })
      ).json().accessToken as string;
      tokens.set(who, token);
    }
    return server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  };
  const signInByPhone = async (phone: string) => {
    await server.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    await server.parcels.idle();
    const code = [...sms]
      .reverse()
      .find((m) => m.to === phone)!
      .text.match(/\d{6}/)![0];
    tokens.set(
      phone,
      (
        await server.app.inject({
          method: 'POST',
          url: '/api/v1/auth/otp/verify',
          payload: { phone, code },
        })
      ).json().accessToken,
    );
  };

  let cloudStopped: Promise<void> | null = null;
  let stopped: Promise<void> | null = null;
  const stopCloud = () =>
    (cloudStopped ??= (async () => {
      if (schema)
        await sql.raw(`drop schema if exists ${schema} cascade`).execute(server.database.db);
      await server.close();
    })());
  return {
    server,
    agent,
    bus,
    lockerId,
    sms,
    api,
    signInByPhone,
    stopCloud,
    stop: () =>
      (stopped ??= (async () => {
        await agent.stop();
        await stopCloud();
        fs.rmSync(dir, { recursive: true, force: true });
      })()),
  };
}
