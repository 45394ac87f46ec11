/**
 * A courier deposits at the locker's own touchscreen (ADR 0018), on a real node with the
 * reference agent and its screen API: sign in by scanning the screen's QR with the
 * courier app, type the waybill and the recipient's phone on the screen, the cloud
 * applies the recipient's preference, reserves a compartment and opens it for the screen
 * request, and the parcel is stored when the door closes on it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from './demo-world.ts';
import { describeEachDialect, until } from './harness.ts';

describeEachDialect('courier deposit at the locker screen', (dialect) => {
  let w: DemoWorld;
  const L = 'jinquan-0002';

  beforeAll(async () => {
    w = await startDemoWorld(dialect, { lockerId: L, screen: true });
    await w.signInByPhone('13800000001');
  });
  afterAll(async () => w?.stop());

  const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    w.api(who, method, url, payload);
  const screen = async (p: string, body?: object) => {
    const r = await fetch(
      new URL(p, w.agent.screenUrl),
      body
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }
        : {},
    );
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
  const parcelCount = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from parcels`.execute(w.server.database.db))
        .rows[0]!.n,
    );

  it('nobody is signed in at first, and the screen refuses a deposit without a sign-in', async () => {
    expect(await screen('/api/courier')).toEqual({ courier: null });
    expect(
      await screen('/api/deposit', {
        waybill: 'ZTO1000',
        recipientPhone: '13800000001',
        size: 'S',
      }),
    ).toEqual({ result: 'signed_out' });
  });

  it('refuses a scan that is not the screen QR, and signs the courier in with the one the screen shows', async () => {
    const junk = await api('courier.zto', 'POST', '/courier/screen-sessions', {
      qr: 'antnest:pickup:v1:jinquan-0002:1:AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toMatch(/expired|Scan the code/);
    const qr = await until(
      'the screen shows a QR (after the first sync)',
      async () => (await screen('/api/qr'))['text'] as string | null,
    );
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
    expect(
      await screen('/api/deposit', { waybill: 'x', recipientPhone: '13800000001', size: 'S' }),
    ).toEqual({ result: 'invalid', field: 'waybill' });
    expect(
      await screen('/api/deposit', { waybill: 'ZTO1000', recipientPhone: '12345', size: 'S' }),
    ).toEqual({ result: 'invalid', field: 'recipientPhone' });
    expect(
      await screen('/api/deposit', {
        waybill: 'ZTO1000',
        recipientPhone: '13800000001',
        size: 'XXL',
      }),
    ).toEqual({ result: 'invalid', field: 'size' });
  });

  it("follows the recipient's preference: door and ask-first refuse, until the recipient agrees in the app", async () => {
    const before = await parcelCount();
    await api('13800000001', 'PUT', '/me/delivery-preferences', { defaultMode: 'door' });
    expect(
      await depositAtScreen({ waybill: 'ZTO20001', recipientPhone: '13800000001', size: 'S' }),
    ).toEqual({ state: 'denied', outcome: 'recipient_prefers_door' });
    await api('13800000001', 'PUT', '/me/delivery-preferences', { defaultMode: 'ask_first' });
    expect(
      await depositAtScreen({ waybill: 'ZTO20001', recipientPhone: '13800000001', size: 'S' }),
    ).toEqual({ state: 'denied', outcome: 'consent_needed' });
    expect(await parcelCount()).toBe(before);

    const ask = await api('courier.zto', 'POST', '/couriers/consent-requests', {
      recipientPhone: '13800000001',
      lockerId: L,
      waybill: 'ZTO20001',
    });
    expect(ask.statusCode).toBe(201);
    expect(
      (
        await api('13800000001', 'POST', `/me/consent-requests/${ask.json().id}/decision`, {
          accept: true,
        })
      ).statusCode,
    ).toBe(200);
    const opened = await depositAtScreen({
      waybill: 'ZTO20001',
      recipientPhone: '138 0000 0001',
      size: 'S',
    });
    expect(opened).toMatchObject({ state: 'opened', compartment: expect.any(Number) });
    const compartment = opened['compartment'] as number;
    expect(w.bus.door(compartment)).toBe('open');
    w.bus.setOccupied(compartment, true);
    w.bus.closeDoor(compartment);
    const mine = await until('the recipient sees the stored parcel', async () => {
      const list = (await api('13800000001', 'GET', '/me/parcels')).json() as {
        parcelId: string;
        status: string;
        compartment: number;
        lockerId: string;
      }[];
      return list.find(
        (p) => p.lockerId === L && p.compartment === compartment && p.status === 'stored',
      );
    });
    const history = (
      await api('13800000001', 'GET', `/me/parcels/${mine.parcelId}/events`)
    ).json() as { type: string; source: string; detail?: Record<string, unknown> }[];
    expect(history.find((e) => e.type === 'reserved')).toMatchObject({ source: 'device' });
    await w.server.parcels.idle();
    await until('the SMS with the code', async () =>
      w.sms.some((m) => m.to === '13800000001' && /取件码/.test(m.text) && /\d{8}/.test(m.text)),
    );
  });

  it('signing out on the screen ends the session there', async () => {
    expect(await screen('/api/courier/logout', {})).toEqual({ courier: null });
    expect(
      await screen('/api/deposit', {
        waybill: 'ZTO1000',
        recipientPhone: '13800000001',
        size: 'S',
      }),
    ).toEqual({ result: 'signed_out' });
  });
});
