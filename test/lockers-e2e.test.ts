/**
 * The whole loop on a real node: embedded broker, cloud runtime, and the reference
 * locker agent on a simulated cabinet. Staff open a compartment through the API; the
 * device fires the relay once and answers; a jammed door becomes an alert staff
 * acknowledge; presence follows the device.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { SimulatorLockBus } from '../src/device/adapters/simulator-lock-bus.ts';
import { type LockerAgentHandle, startLockerAgent } from '../src/device/agent.ts';
import { deviceUsername } from '../src/contract/index.ts';
import { DEMO_PASSWORD } from '../src/demo/jinquan.ts';
import { demoLockerSecret } from '../src/modules/lockers/provisioning.service.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { describeEachDialect, TEST_ENV, until } from './harness.ts';

describeEachDialect('lockers end to end', (dialect) => {
  let server: RunningServer;
  let agent: LockerAgentHandle;
  let bus: SimulatorLockBus;
  let token: string;
  let schema: string | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-e2e-'));
  const L = 'jinquan-0001';

  beforeAll(async () => {
    schema = dialect === 'postgres' ? `e2e_${process.pid}_${Date.now() % 100000}` : undefined;
    const config = loadConfig({
      ...TEST_ENV,
      PORT: '0',
      MQTT_PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      ANTNEST_DEMO_FLEET: 'false',
      DATABASE_URL: dialect === 'sqlite' ? 'sqlite::memory:' : process.env['DATABASE_URL'],
      ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    }, { demo: true });
    server = await startServer(config);
    const demo = server.demoLockers.find((d) => d.lockerId === L)!;
    bus = new SimulatorLockBus({ compartments: demo.compartments, popOpenMs: 20, autoCloseMs: null });
    agent = await startLockerAgent({
      lockerId: L,
      brokerUrl: server.mqttUrl,
      username: deviceUsername(L),
      password: demoLockerSecret(config.secrets.tokenKey, L),
      storePath: path.join(dir, `${L}.db`),
      lockBus: bus,
      timeScale: 0.05,
    });
    await agent.whenOnline(5000);
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
    token = login.json().accessToken;
  });

  afterAll(async () => {
    await agent?.stop();
    if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(server.database.db);
    await server?.close();
  });

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it('shows the locker online once its agent connects', async () => {
    await until('presence online', async () => (await api('GET', `/lockers/${L}`)).json().presence === 'online');
  });

  it('opens a compartment from the API: the relay fires once, the answer and the door state come back', async () => {
    const r = await api('POST', `/lockers/${L}/compartments/3/open`, { reason: '端到端测试开柜' });
    expect(r.statusCode).toBe(202);
    const id = r.json().commandId;
    const cmd = await until('answer', async () => {
      const c = (await api('GET', `/lockers/${L}/commands/${id}`)).json();
      return c.status === 'answered' && c;
    });
    expect(cmd.responseStatus).toBe('opened');
    expect(bus.relayCount(3)).toBe(1);
    await until('door open reported', async () => (await api('GET', `/lockers/${L}`)).json().compartments[2].door === 'open');
    bus.closeDoor(3);
    await until('door closed reported', async () => (await api('GET', `/lockers/${L}`)).json().compartments[2].door === 'closed');
  });

  it('turns a jammed door into an alert that staff can acknowledge', async () => {
    bus.jam(5);
    const r = await api('POST', `/lockers/${L}/compartments/5/open`, { reason: '测试卡门告警' });
    const id = r.json().commandId;
    await until('jam answer', async () => (await api('GET', `/lockers/${L}/commands/${id}`)).json().responseStatus === 'door_jammed');
    const communityId = (await api('GET', `/lockers/${L}`)).json().communityId;
    const alert = await until('alert', async () => ((await api('GET', `/communities/${communityId}/alerts?status=open`)).json() as { kind: string; compartment: number; id: string }[]).find((a) => a.kind === 'door_jammed' && a.compartment === 5));
    const ack = await api('POST', `/alerts/${alert.id}/acknowledge`);
    expect(ack.statusCode).toBe(200);
    expect(ack.json().status).toBe('acknowledged');
    expect((await api('POST', `/alerts/${alert.id}/acknowledge`)).statusCode).toBe(409);
  });

  it('stores device events once, in seq order', async () => {
    const events = (await api('GET', `/lockers/${L}/events?limit=500`)).json() as { seq: number; type: string }[];
    expect(events.length).toBeGreaterThan(3);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toContain('open_outcome');
  });
});
