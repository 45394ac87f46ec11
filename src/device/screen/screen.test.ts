/** The touchscreen: online the cloud decides, offline the agent does; wrong codes are throttled. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCodeVerifier } from '../../contract/pickup-code.ts';
import { ManualClock, cryptoRandom, iso } from '../../kernel/clock.ts';
import { CloudProbe } from '../testing/cloud-probe.ts';
import { tempDir, testAgent, testBus } from '../testing/fixtures.ts';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.ts';
import { type TestBroker, startTestBroker } from '../testing/test-broker.ts';
import type { LockerAgentHandle } from '../agent.ts';

let broker: TestBroker;
let probe: CloudProbe;
let proxy: TcpProxy;
let agent: LockerAgentHandle;
const clock = new ManualClock();
const tmp = tempDir();
const lockerId = 'screen-locker-1';
const bus = testBus();

beforeAll(async () => {
  broker = await startTestBroker();
  probe = await CloudProbe.connect(broker.url, { clock });
  proxy = await startTcpProxy(broker.port);
  agent = await testAgent({
    lockerId,
    brokerUrl: proxy.url,
    storePath: path.join(tmp.dir, 's.db'),
    lockBus: bus,
    clock,
    screenPort: 0,
    settings: { wrongCodeLimit: 3, lockoutSeconds: 60 },
  });
  await agent.whenOnline();
});
afterAll(async () => {
  await agent.stop();
  await proxy.close();
  expect(probe.invalid).toEqual([]);
  await probe.close();
  await broker.close();
  tmp.cleanup();
});

const api = async (p: string, body?: unknown) => {
  const r = await fetch(
    new URL(p, agent.screenUrl),
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
  );
  return {
    status: r.status,
    body: (r.headers.get('content-type') ?? '').includes('json') ? await r.json() : await r.text(),
  };
};

describe('touchscreen', () => {
  it('serves the kiosk app when built, and always the plain page with a keypad and a deposit button', async () => {
    const home = await api('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('lang="zh-CN"');
    const page = await api('/basic');
    expect(page.status).toBe(200);
    expect(page.body).toContain('lang="zh-CN"');
    expect(page.body).toContain('快递员投递');
    expect((page.body as string).match(/data-d="\d"/g)).toHaveLength(10);
    expect((await api('/api/status')).body).toEqual({
      lockerId,
      place: null,
      online: true,
      keypad: { state: 'open', retryAfterSeconds: 0, attemptsLeft: 3 },
    });
    // Asset paths cannot escape the build's assets folder.
    expect((await api('/app/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('online: sends code_entered and shows the compartment the cloud opened', async () => {
    const reply = await api('/api/code', { code: '12345678' });
    expect(reply.body).toMatchObject({ result: 'sent' });
    const requestId = (reply.body as { requestId: string }).requestId;
    await probe.waitFor(
      () => probe.events.some((e) => e.type === 'code_entered' && e.requestId === requestId),
      2000,
      'code_entered',
    );
    const signal = probe.events.find((e) => e.type === 'code_entered');
    expect(signal).toMatchObject({ code: '12345678', lockerId });
    expect('seq' in signal!).toBe(false);
    expect((await api(`/api/requests/${requestId}`)).body).toEqual({ state: 'pending' });
    await probe.response(
      await probe.send(lockerId, {
        type: 'open',
        compartment: 3,
        reason: 'pickup',
        screenRequestId: requestId,
      }),
    );
    expect((await api(`/api/requests/${requestId}`)).body).toEqual({
      state: 'opened',
      compartment: 3,
    });
    bus.closeDoor(3);
  });

  it('online: a right code the cloud accepts ends the wrong-code run, as a right code does offline', async () => {
    const typed = async (code: string) => {
      const requestId = ((await api('/api/code', { code })).body as { requestId: string })
        .requestId;
      await probe.waitFor(
        () => probe.events.some((e) => e.type === 'code_entered' && e.requestId === requestId),
        2000,
        'code_entered',
      );
      return requestId;
    };
    const wrong = await typed('99990000');
    await probe.response(
      await probe.send(lockerId, {
        type: 'screen_result',
        screenRequestId: wrong,
        outcome: 'wrong_code',
      }),
    );
    expect((await api(`/api/requests/${wrong}`)).body).toEqual({
      state: 'denied',
      outcome: 'wrong_code',
      attemptsLeft: 2,
    });
    const right = await typed('12345678');
    await probe.response(
      await probe.send(lockerId, {
        type: 'open',
        compartment: 4,
        reason: 'pickup',
        screenRequestId: right,
      }),
    );
    expect((await api('/api/status')).body).toMatchObject({
      keypad: { state: 'open', attemptsLeft: 3 },
    });
    bus.closeDoor(4);
  });

  it('online: shows the tries left; a second wrong code slows the keypad, a third locks it — a retyped code costs no try, app pickups still open', async () => {
    const refuse = async (code: string) => {
      const reply = await api('/api/code', { code });
      const requestId = (reply.body as { requestId: string }).requestId;
      await probe.waitFor(
        () => probe.events.some((e) => e.type === 'code_entered' && e.requestId === requestId),
        2000,
        'code_entered',
      );
      await probe.response(
        await probe.send(lockerId, {
          type: 'screen_result',
          screenRequestId: requestId,
          outcome: 'wrong_code',
        }),
      );
      return (await api(`/api/requests/${requestId}`)).body;
    };
    expect(await refuse('99999999')).toEqual({
      state: 'denied',
      outcome: 'wrong_code',
      attemptsLeft: 2,
    });
    // The same wrong code again is refused but not counted: only distinct guesses use up tries.
    expect(await refuse('99999999')).toEqual({
      state: 'denied',
      outcome: 'wrong_code',
      attemptsLeft: 2,
    });
    expect(await refuse('99999998')).toEqual({
      state: 'denied',
      outcome: 'wrong_code',
      attemptsLeft: 1,
      retryAfterSeconds: 5,
      keypad: 'slowed',
    });
    expect((await api('/api/code', { code: '12345678' })).body).toEqual({
      result: 'locked',
      retryAfterSeconds: 5,
      keypad: 'slowed',
    });
    expect((await api('/api/status')).body).toMatchObject({
      keypad: { state: 'slowed', retryAfterSeconds: 5, attemptsLeft: 1 },
    });
    clock.advance(5_000);
    expect(await refuse('99999997')).toEqual({
      state: 'denied',
      outcome: 'wrong_code',
      attemptsLeft: 0,
      retryAfterSeconds: 60,
      keypad: 'locked',
    });
    expect((await api('/api/code', { code: '12345678' })).body).toEqual({
      result: 'locked',
      retryAfterSeconds: 60,
      keypad: 'locked',
    });
    expect((await api('/api/status')).body).toMatchObject({
      keypad: { state: 'locked', retryAfterSeconds: 60 },
    });
    await probe.waitFor(
      () => probe.factsOf(lockerId).some((f) => f.type === 'keypad_locked'),
      2000,
      'keypad_locked',
    );
    // The keypad lock is the keypad's only: the app's remote open (or QR pickup) still opens a door.
    const relays = bus.relayCount(2);
    expect(
      await probe.response(
        await probe.send(lockerId, {
          type: 'open',
          compartment: 2,
          reason: 'pickup',
          parcelId: 'p-app',
        }),
      ),
    ).toMatchObject({ status: 'opened' });
    expect(bus.relayCount(2)).toBe(relays + 1);
    bus.closeDoor(2);
    clock.advance(61_000);
  });

  it('deposit: a courier signed in by the cloud asks, the cloud allocates and opens', async () => {
    const form = { waybill: 'ZTO445566', recipientPhone: '+86 138-0000-0001', size: 'M' };
    expect((await api('/api/deposit', form)).body).toEqual({ result: 'signed_out' });
    const sessionExpiresAt = iso(clock.now() + 600_000);
    await probe.response(
      await probe.send(lockerId, {
        type: 'courier_session',
        session: 'hdr.claims.sig',
        courier: '中通快递 · 张**',
        sessionExpiresAt,
      }),
    );
    expect((await api('/api/courier')).body).toEqual({
      courier: '中通快递 · 张**',
      expiresAt: sessionExpiresAt,
    });
    expect((await api('/api/deposit', { ...form, recipientPhone: '555' })).body).toEqual({
      result: 'invalid',
      field: 'recipientPhone',
    });
    expect((await api('/api/deposit', 'not an object')).status).toBe(400);
    const reply = await api('/api/deposit', form);
    const requestId = (reply.body as { requestId: string }).requestId;
    await probe.waitFor(
      () => probe.events.some((e) => e.type === 'deposit_requested' && e.requestId === requestId),
      2000,
      'deposit_requested',
    );
    // The phone goes out as 11 digits with the cloud's token; the token never shows on the screen API.
    expect(
      probe.events.find((e) => e.type === 'deposit_requested' && e.requestId === requestId),
    ).toMatchObject({
      session: 'hdr.claims.sig',
      recipientPhone: '13800000001',
      waybill: 'ZTO445566',
      size: 'M',
    });
    await probe.response(
      await probe.send(lockerId, {
        type: 'open',
        compartment: 5,
        reason: 'deposit',
        screenRequestId: requestId,
      }),
    );
    expect((await api(`/api/requests/${requestId}`)).body).toEqual({
      state: 'opened',
      compartment: 5,
    });
    bus.closeDoor(5);
    // A refusal for a stale sign-in signs the courier out on the screen.
    const again = (await api('/api/deposit', form)).body as { requestId: string };
    await probe.waitFor(
      () =>
        probe.events.some((e) => e.type === 'deposit_requested' && e.requestId === again.requestId),
      2000,
      'second deposit_requested',
    );
    await probe.response(
      await probe.send(lockerId, {
        type: 'screen_result',
        screenRequestId: again.requestId,
        outcome: 'session_expired',
      }),
    );
    expect((await api(`/api/requests/${again.requestId}`)).body).toEqual({
      state: 'denied',
      outcome: 'session_expired',
    });
    expect((await api('/api/courier')).body).toEqual({ courier: null });
  });

  it('a sign-in that has already run out is refused and not shown', async () => {
    const r = await probe.response(
      await probe.send(lockerId, {
        type: 'courier_session',
        session: 'hdr.claims.sig',
        courier: '中通快递 · 李**',
        sessionExpiresAt: iso(clock.now() - 1000),
      }),
    );
    expect(r).toMatchObject({ status: 'rejected', details: { reason: 'session_expired' } });
    expect((await api('/api/courier')).body).toEqual({ courier: null });
  });

  it('offline: verifies locally, locks out after repeated wrong codes, unlocks with time', async () => {
    const kdf = { alg: 'scrypt', logN: 10, r: 8, p: 1, keyLength: 32 } as const;
    const verifier = {
      parcelId: 'p-9',
      compartment: 6,
      expiresAt: iso(clock.now() + 86_400_000),
      ...(await makeCodeVerifier('55501234', cryptoRandom.bytes, kdf)),
    };
    await probe.response(
      await probe.send(lockerId, { type: 'sync', revision: 1, kdf, verifiers: [verifier] }),
    );
    await probe.response(
      await probe.send(lockerId, {
        type: 'courier_session',
        session: 'hdr.claims.sig',
        courier: '中通快递 · 张**',
        sessionExpiresAt: iso(clock.now() + 600_000),
      }),
    );
    proxy.cut();
    await new Promise((r) => setTimeout(r, 100));
    expect((await api('/api/status')).body).toMatchObject({ lockerId, online: false });
    // Offline both QR codes are hidden: app pickup and the courier's sign-in need the cloud.
    expect((await api('/api/qr')).body).toEqual({ text: null });
    // Only the cloud can allocate a compartment: a signed-in courier is told the locker is offline.
    expect(
      (
        await api('/api/deposit', {
          waybill: 'ZTO445566',
          recipientPhone: '13800000001',
          size: 'S',
        })
      ).body,
    ).toEqual({ result: 'unavailable' });
    // The run before ended in a lock: the next distinct wrong code locks again, twice as long.
    expect((await api('/api/code', { code: '11111110' })).body).toEqual({
      result: 'locked',
      retryAfterSeconds: 120,
      keypad: 'locked',
    });
    expect((await api('/api/code', { code: '55501234' })).body).toMatchObject({ result: 'locked' });
    clock.advance(121_000);
    expect((await api('/api/code', { code: '55501234' })).body).toEqual({
      result: 'opened',
      compartment: 6,
    });
    // A right code ends the run: tries are back, counted per distinct code as online.
    expect((await api('/api/code', { code: '11111111' })).body).toEqual({
      result: 'wrong_code',
      attemptsLeft: 2,
    });
    expect((await api('/api/code', { code: '11111111' })).body).toEqual({
      result: 'wrong_code',
      attemptsLeft: 2,
    });
    expect((await api('/api/code', { code: '11111112' })).body).toEqual({
      result: 'wrong_code',
      attemptsLeft: 1,
      retryAfterSeconds: 5,
    });
    expect((await api('/api/code', { code: '11111113' })).body).toEqual({
      result: 'locked',
      retryAfterSeconds: 5,
      keypad: 'slowed',
    });
    clock.advance(5_000);
    // The third lock within the hour: earned locks grow (60, 120, 240 s … at most 15 min) until a quiet hour forgives them.
    expect((await api('/api/code', { code: '11111113' })).body).toEqual({
      result: 'locked',
      retryAfterSeconds: 240,
      keypad: 'locked',
    });
    clock.advance(241_000);
    expect((await api('/api/code', { code: 'abc' })).body).toEqual({ result: 'invalid' });
    expect((await api('/api/code', {})).status).toBe(400);
    proxy.restore();
    await agent.whenOnline(5000);
    await probe.waitFor(
      () => probe.factsOf(lockerId).some((f) => f.type === 'offline_pickup'),
      3000,
      'offline_pickup',
    );
  });
});
