/**
 * A courier deposits at the locker's own touchscreen (ADR 0018), on a real node with the
 * reference agent and its screen API: sign in by scanning the screen's QR with the
 * courier app, type the waybill and the recipient's phone on the screen, the cloud
 * applies the recipient's preference, reserves a compartment and opens it for the screen
 * request, and the parcel is stored when the door closes on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { deviceUsername } from '../src/contract/index.ts';
import { SimulatorLockBus } from '../src/device/adapters/simulator-lock-bus.ts';
import { type LockerAgentHandle, startLockerAgent } from '../src/device/agent.ts';
import { DEMO_PASSWORD } from '../src/demo/jinquan.ts';
import { demoLockerSecret } from '../src/modules/lockers/provisioning.service.ts';
import type { SmsSender } from '../src/platform/notify/sms.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { describeEachDialect, TEST_ENV, until } from './harness.ts';

describeEachDialect('courier deposit at the locker screen', (dialect) => {
  let server: RunningServer;
  let agent: LockerAgentHandle;
  let bus: SimulatorLockBus;
  let schema: string | undefined;
  const sms: { to: string; text: string }[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-screen-dep-'));
  const L = 'jinquan-0002';
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    schema = dialect === 'postgres' ? `sde2e_${process.pid}_${Date.now() % 100000}` : undefined;
    const config = loadConfig({ ...TEST_ENV, PORT: '0', MQTT_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dir, ANTNEST_DEMO_FLEET: 'false', DATABASE_URL: dialect === 'sqlite' ? 'sqlite::memory:' : process.env['DATABASE_URL'], ...(schema ? { DATABASE_SCHEMA: schema } : {}) }, { demo: true });
    const capture: SmsSender = { send: async (to, text) => void sms.push({ to, text }) };
    server = await startServer(config, { sms: capture });
    const demo = server.demoLockers.find((d) => d.lockerId === L)!;
    bus = new SimulatorLockBus({ compartments: demo.compartments, popOpenMs: 20, autoCloseMs: null });
    agent = await startLockerAgent({ lockerId: L, brokerUrl: server.mqttUrl, username: deviceUsername(L), password: demoLockerSecret(config.secrets.tokenKey, L), storePath: path.join(dir, `${L}.db`), lockBus: bus, timeScale: 0.05, screenPort: 0 });
    await agent.whenOnline(5000);
    tokens['courier.zto'] = (await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'courier.zto', password: DEMO_PASSWORD } })).json().accessToken;
    const phone = '13800000001';
    await server.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    await server.parcels.idle();
    const code = [...sms].reverse().find((m) => m.to === phone)!.text.match(/\d{6}/)![0];
    tokens[phone] = (await server.app.inject({ method: 'POST', url: '/api/v1/auth/otp/verify', payload: { phone, code } })).json().accessToken;
  });

  afterAll(async () => {
    await agent?.stop();
    if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(server.database.db);
    await server?.close();
  });

  const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
  const screen = async (p: string, body?: object) => {
    const r = await fetch(new URL(p, agent.screenUrl), body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
    return r.json() as Promise<Record<string, unknown>>;
  };
  /** Send a deposit from the screen and wait for the cloud's answer. */
  const depositAtScreen = async (input: object) => {
    const reply = await screen('/api/deposit', input);
    if (reply['result'] !== 'sent') return reply;
    return until('the cloud answers the screen', async () => {
      const st = await screen(`/api/requests/${String(reply['requestId'])}`);
      return st['state'] === 'pending' ? undefined : st;
    });
  };
  const parcelCount = async () => Number((await sql<{ n: string }>`select count(*) as n from parcels`.execute(server.database.db)).rows[0]!.n);

  it('nobody is signed in at first, and the screen refuses a deposit without a sign-in', async () => {
    expect(await screen('/api/courier')).toEqual({ courier: null });
    expect(await screen('/api/deposit', { waybill: 'ZTO1000', recipientPhone: '13800000001', size: 'S' })).toEqual({ result: 'signed_out' });
  });

  it('refuses a scan that is not the screen QR, and signs the courier in with the one the screen shows', async () => {
    const junk = await api('courier.zto', 'POST', '/courier/screen-sessions', { qr: 'antnest:pickup:v1:jinquan-0002:1:AAAAAAAAAAAAAAAAAAAAAA' });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toMatch(/expired|Scan the code/);
    const qr = await until('the screen shows a QR (after the first sync)', async () => (await screen('/api/qr'))['text'] as string | null);
    const r = await api('courier.zto', 'POST', '/courier/screen-sessions', { qr });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ lockerId: L, courier: expect.stringMatching(/\*\*$/) });
    const who = await until('the screen knows the courier', async () => {
      const c = await screen('/api/courier');
      return c['courier'] ? c : undefined;
    });
    expect(who['courier']).toBe(r.json().courier);
    expect(JSON.stringify(who)).not.toMatch(/eyJ/); // the token stays inside the agent
  });

  it('checks the form on the screen before anything goes out', async () => {
    expect(await screen('/api/deposit', { waybill: 'x', recipientPhone: '13800000001', size: 'S' })).toEqual({ result: 'invalid', field: 'waybill' });
    expect(await screen('/api/deposit', { waybill: 'ZTO1000', recipientPhone: '12345', size: 'S' })).toEqual({ result: 'invalid', field: 'recipientPhone' });
    expect(await screen('/api/deposit', { waybill: 'ZTO1000', recipientPhone: '13800000001', size: 'XXL' })).toEqual({ result: 'invalid', field: 'size' });
  });

  it("follows the recipient's preference: door and ask-first refuse, until the recipient agrees in the app", async () => {
    const before = await parcelCount();
    await api('13800000001', 'PUT', '/me/delivery-preferences', { defaultMode: 'door' });
    expect(await depositAtScreen({ waybill: 'ZTO20001', recipientPhone: '13800000001', size: 'S' })).toEqual({ state: 'denied', outcome: 'recipient_prefers_door' });
    await api('13800000001', 'PUT', '/me/delivery-preferences', { defaultMode: 'ask_first' });
    expect(await depositAtScreen({ waybill: 'ZTO20001', recipientPhone: '13800000001', size: 'S' })).toEqual({ state: 'denied', outcome: 'consent_needed' });
    expect(await parcelCount()).toBe(before);

    const ask = await api('courier.zto', 'POST', '/couriers/consent-requests', { recipientPhone: '13800000001', lockerId: L, waybill: 'ZTO20001' });
    expect(ask.statusCode).toBe(201);
    expect((await api('13800000001', 'POST', `/me/consent-requests/${ask.json().id}/decision`, { accept: true })).statusCode).toBe(200);
    const opened = await depositAtScreen({ waybill: 'ZTO20001', recipientPhone: '138 0000 0001', size: 'S' });
    expect(opened).toMatchObject({ state: 'opened', compartment: expect.any(Number) });
    const compartment = opened['compartment'] as number;
    expect(bus.door(compartment)).toBe('open');
    bus.setOccupied(compartment, true);
    bus.closeDoor(compartment);
    const mine = await until('the recipient sees the stored parcel', async () => {
      const list = (await api('13800000001', 'GET', '/me/parcels')).json() as { parcelId: string; status: string; compartment: number; lockerId: string }[];
      return list.find((p) => p.lockerId === L && p.compartment === compartment && p.status === 'stored');
    });
    const history = (await api('13800000001', 'GET', `/me/parcels/${mine.parcelId}/events`)).json() as { type: string; source: string; detail?: Record<string, unknown> }[];
    expect(history.find((e) => e.type === 'reserved')).toMatchObject({ source: 'device' });
    await server.parcels.idle();
    await until('the SMS with the code', async () => sms.some((m) => m.to === '13800000001' && /取件码/.test(m.text) && /\d{8}/.test(m.text)));
  });

  it('signing out on the screen ends the session there', async () => {
    expect(await screen('/api/courier/logout', {})).toEqual({ courier: null });
    expect(await screen('/api/deposit', { waybill: 'ZTO1000', recipientPhone: '13800000001', size: 'S' })).toEqual({ result: 'signed_out' });
  });
});
