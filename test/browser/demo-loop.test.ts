/**
 * The demo exactly as `npm start` runs it (demo config with its own data dir and secrets,
 * the Jinquan seed, all 160 simulated lockers with their simulated people, the locker
 * screens the start page links), driven in Chromium as a newcomer would:
 *  1. the start page links a locker screen per compound;
 *  2. a courier finds 清淳家园 1栋1单元 by its address and deposits there → opened →
 *     stored (a simulated hand puts the parcel in and shuts the door) → the resident's
 *     app shows it live → the code typed on the demo locker screen opens the door → the
 *     parcel is picked up (the hand takes it out) and disinfected (已消毒 with its time);
 *  3. a recipient who asks first: 先问一下, the answer arrives live, then the deposit,
 *     and she picks it up from her app (the hand takes it out);
 *  4. every result state the courier can meet, each screenshotted (courier-*.png):
 *     the door shut empty, the door that did not open, the locker that did not answer,
 *     and an offline locker refused before anything opens.
 * Nothing here touches the database or the devices except to cause a fault on purpose.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type DemoFleet, startDemoFleet } from '../../src/demo/fleet.ts';
import type { FleetMember } from '../../src/device/fleet.ts';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';

const PHONE = { width: 375, height: 667 };
const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元, standing consent
const LIU = '13800000004'; // 刘姐, 清淳家园 33栋1单元, asks first

describe.skipIf(!haveChromium)('the demo as npm start runs it', () => {
  let server: RunningServer;
  let fleet: DemoFleet;
  let browser: Browser;
  let dir: string;
  let base: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    ensureWebBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-demo-loop-'));
    // What `npm start` is: `antnest serve --demo` with the defaults (SQLite in the data dir, the fleet on); free ports here.
    const config = loadConfig(
      { PORT: '0', MQTT_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dir },
      { demo: true },
    );
    server = await startServer(config, {
      startFleet: async (url, lockers, o) => (fleet = await startDemoFleet(url, lockers, o)),
    });
    base = server.httpUrl;
    await until(
      'the demo lockers online',
      async () => [...fleet.members.values()].every((m) => m.agent.online()),
      60_000,
    );
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The API as a demo staff member or courier (password sign-in). */
  async function api(
    who: string,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
  ): Promise<{ status: number; json: any }> {
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
    const r = await server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    return { status: r.statusCode, json: r.body ? r.json() : null };
  }

  async function residentSignIn(page: Page, phone: string): Promise<void> {
    await page.goto(`${base}/app/resident/`);
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(phone);
    await page.getByTestId('agree').click(); // the user agreement and privacy notice
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.getByRole('textbox', { name: '验证码', exact: true }).fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('我的快递').first().waitFor();
  }

  async function courierSignIn(): Promise<Page> {
    const { page } = await openPage(browser, 'courier', { ...PHONE, allow4xx: true });
    await page.goto(`${base}/app/courier/`);
    await page.locator('input[aria-label="账号"]').fill('courier.sf');
    await page.locator('input[aria-label="密码"]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    return page;
  }

  /** From the locker list: search, open the first match, fill the waybill and phone, look the recipient up. */
  async function startDeposit(
    courier: Page,
    search: string,
    waybill: string,
    phone: string,
  ): Promise<void> {
    // Back to the list from a locker's form (the list itself has no back arrow).
    if (await courier.locator('.adm-nav-bar-back').count())
      await courier.locator('.adm-nav-bar-back').click();
    const box = courier.getByPlaceholder('搜索小区、楼栋单元，如 清淳家园 1栋1单元');
    await box.fill(search);
    await box.press('Enter');
    const id = await lockerFor(search);
    await courier.locator(`[data-testid=locker][data-locker="${id}"]`).click();
    await courier.getByRole('textbox', { name: '运单号', exact: true }).fill(waybill);
    await courier.getByRole('textbox', { name: '收件人手机号', exact: true }).fill(phone);
    await courier.getByRole('button', { name: '查询' }).click();
    await courier.getByTestId('preference').waitFor();
  }

  /** The locker a search finds first (what the courier then taps). */
  async function lockerFor(search: string): Promise<string> {
    return (await api('courier.sf', 'GET', `/lockers?q=${encodeURIComponent(search)}`)).json[0]
      .id as string;
  }

  it('the start page links a locker screen per compound', async () => {
    const { page } = await openPage(browser, 'start', { width: 1024, height: 700 });
    await page.goto(`${base}/`);
    const links = page.getByTestId('screen-link');
    expect(await links.count()).toBe(2);
    expect(await links.allTextContents()).toEqual([
      expect.stringContaining('清淳家园'),
      expect.stringContaining('两河锦地'),
    ]);
    await page.close();
  });

  it('courier deposit at a demo locker → stored → the resident sees it → pickup by code at the locker screen → picked up and disinfected', async () => {
    const { page: resident } = await openPage(browser, 'resident', PHONE);
    await residentSignIn(resident, ZHANG);

    const courier = await courierSignIn();
    await startDeposit(courier, '清淳家园 1栋1单元', 'SF2026120501', ZHANG);
    await courier.getByRole('button', { name: '开柜投递' }).click();
    // Honest result: "opened" only once the locker says so, then "stored" once the simulated hand shut the door on the parcel.
    await courier
      .locator('[data-testid=deposit-result][data-outcome=opened]')
      .waitFor({ timeout: 15_000 });
    await shot(courier, 'courier-opened');
    await courier
      .locator('[data-testid=deposit-result][data-outcome=stored]')
      .waitFor({ timeout: 20_000 });
    await shot(courier, 'courier-stored');

    // The resident's page was not reloaded: the live stream brought the parcel.
    const card = resident.locator('[data-testid=parcel][data-status=stored]');
    await card.waitFor({ timeout: 15_000 });
    const code = (await card.getByTestId('code').textContent())!.trim();
    expect(code).toMatch(/^\d{8}$/);

    // The demo locker screen the start page links for 清淳家园 (the same cabinet).
    const screen = server.screens.find((s) => s.place.startsWith('清淳家园'))!;
    expect(screen.lockerId).toBe(await lockerFor('清淳家园 1栋1单元'));
    const { page: kiosk } = await openPage(browser, 'kiosk', {
      width: 540,
      height: 960,
      allow4xx: true,
    });
    await kiosk.goto(screen.url);
    await kiosk.getByTestId('net').filter({ hasText: '在线' }).waitFor({ timeout: 15_000 });
    for (const d of code)
      await kiosk.getByRole('button', { name: `数字 ${d}`, exact: true }).click();
    await kiosk.getByRole('button', { name: '确认取件' }).click();
    await kiosk
      .getByTestId('feedback')
      .filter({ hasText: '号格口已打开' })
      .waitFor({ timeout: 15_000 });
    // Each compartment's relay count once the pickup's door opened: the demo keeps depositing,
    // and a later deposit can take the compartment (only once its door shut on it empty).
    const member = fleet.members.get(screen.lockerId)!;
    const relaysAtPickup = new Map(
      member.bus.compartments.map((c) => [c, member.bus.relayCount(c)] as const),
    );

    await resident
      .locator('[data-testid=parcel][data-status=picked_up]')
      .waitFor({ timeout: 20_000 });
    // The UV cycle after the pickup's door shut (the demo's cycles are 20 s) reaches the page live: 已消毒 with its time.
    await resident
      .locator('[data-testid=parcel][data-status=picked_up] [data-testid=disinfected]')
      .filter({ hasText: /已消毒 \S+/ })
      .waitFor({ timeout: 45_000 });
    // The hand took it out and shut the door: the compartment is free again.
    const p = (await api('courier.sf', 'GET', '/courier/deposits')).json.find(
      (x: { waybill: string }) => x.waybill === 'SF2026120501',
    );
    expect(p.status).toBe('picked_up');
    await until(
      'door shut and empty (or freed and taken by a later demo deposit)',
      async () =>
        (member.bus.door(p.compartment) === 'closed' &&
          member.bus.occupied(p.compartment) === false) ||
        member.bus.relayCount(p.compartment) > relaysAtPickup.get(p.compartment)!,
      15_000,
    );
    await kiosk.close();
    await resident.close();
    await courier.close();
  });

  it('先问一下: the courier asks, the answer arrives live, then the deposit goes through', async () => {
    const courier = await courierSignIn();
    await startDeposit(courier, '清淳家园 33栋1单元', 'SF2026120502', LIU);
    await expect(courier.getByRole('button', { name: '开柜投递' }).isDisabled()).resolves.toBe(
      true,
    );
    await courier.getByRole('button', { name: '先问一下' }).click();
    await courier.locator('[data-testid=consent-status][data-status=pending]').waitFor();
    await shot(courier, 'courier-ask-first');
    // 刘姐 accepts in her app (the API her app calls).
    const otp = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: LIU },
    });
    expect(otp.statusCode).toBeLessThan(300);
    const sms = (await server.app.inject({ method: 'GET', url: '/api/v1/dev/sms' })).json() as {
      to: string;
      text: string;
    }[];
    const otpCode = sms.find((m) => m.to === LIU && /验证码/.test(m.text))!.text.match(/\d{6}/)![0];
    const liu = (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/otp/verify',
        payload: { phone: LIU, code: otpCode },
      })
    ).json().accessToken as string;
    const pending = (
      await server.app.inject({
        method: 'GET',
        url: '/api/v1/me/consent-requests?status=pending',
        headers: { authorization: `Bearer ${liu}` },
      })
    ).json() as { id: string }[];
    expect(pending).toHaveLength(1);
    await server.app.inject({
      method: 'POST',
      url: `/api/v1/me/consent-requests/${pending[0]!.id}/decision`,
      headers: { authorization: `Bearer ${liu}` },
      payload: { accept: true },
    });
    await courier
      .locator('[data-testid=consent-status][data-status=accepted]')
      .waitFor({ timeout: 15_000 });
    await courier.getByRole('button', { name: '开柜投递' }).click();
    await courier
      .locator('[data-testid=deposit-result][data-outcome=stored]')
      .waitFor({ timeout: 20_000 });
    // 刘姐 picks it up from her app (the open her app sends): the door opens, the hand takes it out and shuts it.
    const auth = { authorization: `Bearer ${liu}` };
    const mine = (
      await server.app.inject({ method: 'GET', url: '/api/v1/me/parcels', headers: auth })
    ).json() as { parcelId: string; lockerId: string; compartment: number }[];
    expect(mine).toHaveLength(1);
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: `/api/v1/me/parcels/${mine[0]!.parcelId}/open`,
          headers: auth,
        })
      ).statusCode,
    ).toBe(202);
    await until(
      'picked up from the app',
      async () =>
        (
          await server.app.inject({
            method: 'GET',
            url: `/api/v1/me/parcels/${mine[0]!.parcelId}`,
            headers: auth,
          })
        ).json().status === 'picked_up',
      20_000,
    );
    const bus = fleet.members.get(mine[0]!.lockerId)!.bus;
    await until(
      'door shut and empty',
      async () =>
        bus.door(mine[0]!.compartment) === 'closed' && bus.occupied(mine[0]!.compartment) === false,
      15_000,
    );
    await courier.close();
  });

  it('shows every way a deposit can end, as it really ended', async () => {
    const courier = await courierSignIn();
    /** Deposit at the locker a search finds; `fault` breaks that cabinet first; waits for the outcome. */
    const depositWith = async (
      search: string,
      waybill: string,
      fault: (m: FleetMember) => void,
      outcome: string,
      name: string,
    ) => {
      const m = fleet.members.get(await lockerFor(search))!;
      fault(m);
      await startDeposit(courier, search, waybill, ZHANG);
      await courier.getByRole('button', { name: '开柜投递' }).click();
      await courier
        .locator(`[data-testid=deposit-result][data-outcome=${outcome}]`)
        .waitFor({ timeout: 30_000 });
      await shot(courier, name);
      await courier.getByRole('button', { name: /继续投递|投递下一件/ }).click();
    };
    const all = (m: { spec: { compartments: readonly number[] | number } }) =>
      m.spec.compartments as readonly number[];
    // Someone shuts the door at once, before putting anything in.
    await depositWith(
      '清淳家园 1栋2单元',
      'SF2026120503',
      (m) =>
        m.bus.subscribe(
          (e) =>
            e.type === 'door' && e.open && setTimeout(() => m.bus.closeDoor(e.compartment), 100),
        ),
      'closed_empty',
      'courier-closed-empty',
    );
    // The latch releases but the door is stuck.
    await depositWith(
      '清淳家园 1栋3单元',
      'SF2026120504',
      (m) => all(m).forEach((n) => m.bus.jam(n)),
      'door_jammed',
      'courier-door-jammed',
    );
    // The board never confirms and the door stays shut: the locker cannot say what happened.
    await depositWith(
      '清淳家园 2栋1单元',
      'SF2026120505',
      (m) => all(m).forEach((n) => (m.bus.jam(n), m.bus.failRelay(n))),
      'no_answer',
      'courier-no-answer',
    );

    // An offline locker is refused before anything opens, naming where else to go.
    const offline = fleet.members.get(await lockerFor('清淳家园 2栋2单元'))!;
    await offline.agent.stop();
    await until(
      'the locker shows offline',
      async () =>
        (await api('courier.sf', 'GET', `/lockers?q=${encodeURIComponent('清淳家园 2栋2单元')}`))
          .json[0].presence === 'offline',
      15_000,
    );
    await startDeposit(courier, '清淳家园 2栋2单元', 'SF2026120506', ZHANG);
    await courier.getByRole('button', { name: '开柜投递' }).click();
    const alert = courier.getByRole('alert').filter({ hasText: '柜子离线' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('清淳家园蚁巢服务馆');
    await shot(courier, 'courier-offline');
    await courier.close();
    expect(consoleErrors).toEqual([]);
  });
});
