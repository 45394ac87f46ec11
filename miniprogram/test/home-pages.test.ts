/**
 * The resident screens of the parcel loop the mini-program first left to the web app (ADR
 * 0034, amended): per-carrier delivery preferences and the address alias on the delivery
 * page, and 我的房屋 (invite family with a code, join by it, or ask the community). Built
 * and rendered by miniprogram-simulate against a real demo node; only `wx` is faked. What
 * the pages save is read back from the server and from a courier's side.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../../test/demo-world.ts';
import { buildFor, type FakeWx, installDom, installWx, openPage } from './simulate.ts';
import { type Shot, writeShots } from './shots.ts';

const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元
const SON = '13800007701'; // her son, no home yet
const NANNY = '13800007702'; // a carer who asks the community instead
const SESSION = 'antnest.resident.session';
const ELDER_KEY = 'antnest.elder';

describe('delivery preferences, alias and homes in the mini-program', () => {
  let w: DemoWorld;
  let dir: string;
  let wx: FakeWx;
  let removeDom: (() => void) | undefined;
  const shots: Shot[] = [];

  beforeAll(async () => {
    w = await startDemoWorld('sqlite', { lockerId: 'jinquan-0001' });
    dir = await buildFor(w.server.httpUrl);
    removeDom = installDom();
    wx = installWx();
  }, 60_000);
  afterAll(async () => {
    removeDom?.();
    await w?.stop();
    if (dir) await writeShots(dir, shots);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Sign in by SMS code over HTTP and keep the session where the mini-program keeps it. */
  async function signIn(phone: string): Promise<void> {
    const post = (url: string, body: object) =>
      fetch(`${w.server.httpUrl}/api/v1${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/otp', { phone })).status).toBe(202);
    await w.server.parcels.idle();
    const code = [...w.sms]
      .reverse()
      .find((m) => m.to === phone)!
      .text.match(/\d{6}/)![0];
    const r = await post('/auth/otp/verify', { phone, code });
    expect(r.status).toBe(200);
    wx.storage.set(SESSION, await r.json());
  }

  /** GET as the signed-in resident. */
  async function mine<T>(url: string): Promise<T> {
    const s = wx.storage.get(SESSION) as { accessToken: string };
    const r = await fetch(`${w.server.httpUrl}/api/v1${url}`, {
      headers: { authorization: `Bearer ${s.accessToken}` },
    });
    expect(r.status).toBe(200);
    return (await r.json()) as T;
  }

  /** What a ZTO courier sees of 张阿姨 before a deposit. */
  const courierView = async () =>
    (
      await w.api('courier.zto', 'POST', '/couriers/recipient-preference', {
        recipientPhone: ZHANG,
      })
    ).json() as { mode: string; alias: string | null };

  let zhang: unknown;

  it('sets a default, an exception for one carrier that survives a new default, and an alias the courier sees', async () => {
    await signIn(ZHANG);
    zhang = wx.storage.get(SESSION); // the SMS code is rate-limited per phone: sign in once
    const p = await openPage(dir, 'delivery');
    await p.until('carriers', (d) => (d.carriers as unknown[]).length > 0);
    const carriers = p.data().carriers as { id: string; name: string; mode: string }[];
    const zto = carriers.findIndex((c) => c.name.includes('中通'));
    expect(zto).toBeGreaterThanOrEqual(0);
    // Takeout platforms take no locker preferences.
    expect(carriers.map((c) => c.name).join()).not.toMatch(/美团|饿了么/);
    expect(p.data().hasHome).toBe(true);

    // Default: the locker (the first mode row).
    await p.tap('.mode', 0);
    await p.until('default saved', (d) => d.mode === 'locker');
    // ZTO: bring it to my door. Chips per carrier: 同默认, then the four modes in order.
    await p.tap('.chip', zto * 5 + 3);
    await p.until('exception saved', (d) =>
      (d.carriers as { mode: string }[]).some((c) => c.mode === 'door'),
    );
    expect(await courierView()).toMatchObject({ mode: 'door' });

    // A new default keeps the exception (the page sends the whole set).
    await p.tap('.mode', 3);
    await p.until('new default', (d) => d.mode === 'hall');
    const saved = await mine<{ defaultMode: string; perCarrier: { mode: string }[] }>(
      '/me/delivery-preferences',
    );
    expect(saved).toMatchObject({ defaultMode: 'hall', perCarrier: [{ mode: 'door' }] });
    expect(await courierView()).toMatchObject({ mode: 'door' });

    // A flat number is refused with the server's message; a building-level alias is kept.
    await p.input('#alias', '清淳家园1栋1单元302');
    await p.tap('#alias-save');
    await p.until('refused', (d) => d.error !== '');
    expect(await mine<{ text: string | null }>('/me/address-alias')).toMatchObject({ text: null });
    await p.input('#alias', '清淳家园 1栋1单元 蚁巢柜');
    await p.tap('#alias-save');
    await p.until('alias saved', (d) => d.error === '' && d.alias === '清淳家园 1栋1单元 蚁巢柜');
    expect(await courierView()).toMatchObject({ alias: '清淳家园 1栋1单元 蚁巢柜' });
    shots.push({ name: 'delivery-carriers', page: 'delivery', html: p.html() });

    // Back to following the default for ZTO.
    await p.tap('.chip', zto * 5);
    await p.until('exception gone', (d) =>
      (d.carriers as { mode: string }[]).every((c) => c.mode === ''),
    );
    expect(await courierView()).toMatchObject({ mode: 'hall' });
  });

  it('invites family with a code; the son joins by it and may then set an alias', async () => {
    if (zhang) wx.storage.set(SESSION, zhang);
    else await signIn(ZHANG);
    const home = await openPage(dir, 'homes');
    await home.until('homes', (d) => (d.homes as unknown[]).length > 0);
    expect(home.text()).toContain('1栋1单元');
    await home.tap('.invite');
    const code = (await home.until('code', (d) => (d.invite as { code: string } | null)?.code))!;
    expect(code).toMatch(/^\d{8}$/);
    expect(home.text()).toContain(code);
    shots.push({ name: 'homes-invite', page: 'homes', html: home.html() });

    await signIn(SON);
    const son = await openPage(dir, 'homes');
    await son.until('loaded', (d) => d.loaded === true);
    expect(son.text()).toContain('还没有绑定房屋');
    const before = await openPage(dir, 'delivery');
    await before.until('loaded', (d) => (d.carriers as unknown[]).length > 0);
    expect(before.data().hasHome).toBe(false);
    expect(before.text()).toContain('绑定房屋后可设置地址别名');

    await son.input('#code', '1234');
    await son.tap('#join');
    await son.until('format refused', (d) => d.error !== '');
    await son.input('#code', code);
    await son.tap('#join');
    await son.until('bound', (d) => (d.homes as unknown[]).length === 1);
    expect(son.text()).toContain('1栋1单元');
    // The code works once: a second join is refused with the server's message, no 500.
    await son.input('#code', code);
    await son.tap('#join');
    await son.until('once', (d) => d.error !== '');
    expect((await mine<{ homes: unknown[] }>('/me/homes')).homes).toHaveLength(1);
    // A session refresh carries the new grant: the alias is offered now.
    const s = wx.storage.get(SESSION) as { refreshToken: string };
    const r = await fetch(`${w.server.httpUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: s.refreshToken }),
    });
    expect(r.status).toBe(200);
    wx.storage.set(SESSION, await r.json());
    const after = await openPage(dir, 'delivery');
    await after.until('has a home', (d) => d.hasHome === true);
  });

  it('asks the community to bind a home and withdraws the request', async () => {
    await signIn(NANNY);
    const p = await openPage(dir, 'homes');
    await p.until('loaded', (d) => d.loaded === true);
    await p.input('#query', '清淳家园 1栋');
    await p.tap('#find');
    await p.until('found', (d) => ((d.found as unknown[] | null) ?? []).length > 0);
    await p.tap('#ask');
    await p.until('unit first', (d) => d.error !== '');
    await p.tap('.unit', 0);
    await p.tap('.relation', 4);
    await p.tap('#ask');
    await p.until('asked', (d) => (d.requests as unknown[]).length === 1);
    expect(p.text()).toContain('社区审核中');
    await p.tap('.withdraw');
    await p.until('withdrawn', (d) => (d.requests as unknown[]).length === 0);
    const mineNow = await mine<{ requests: { status: string }[] }>('/me/homes');
    expect(mineNow.requests.map((r) => r.status)).toEqual(['cancelled']);

    // In English and elder mode, the same page.
    wx.storage.set('antnest.lang', 'en');
    wx.storage.set(ELDER_KEY, true);
    try {
      const en = await openPage(dir, 'homes');
      await en.until('loaded', (d) => d.loaded === true);
      expect(en.text()).toContain('Bind a home');
      expect(en.text()).toContain('No home bound yet');
      expect(en.html()).toMatch(/class="[^"]*elder/);
    } finally {
      wx.storage.delete('antnest.lang');
      wx.storage.delete(ELDER_KEY);
    }
  });
});
