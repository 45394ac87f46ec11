/**
 * The hall's closed loop with the lockers, in the demo as `npm start` runs it: 张阿姨 orders
 * fresh fruit in the 服务馆 tab and pays → hall staff deposit it into her unit's locker from
 * the console with one click (the simulated hand puts it in) → she picks it up with the
 * code at the locker screen. A second test books the meeting room. Screenshots: hall-tab,
 * hall-order-in-locker, hall-console.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type DemoFleet, startDemoFleet } from '../../src/demo/fleet.ts';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';

const PHONE = { width: 375, height: 760 };
const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元

describe.skipIf(!haveChromium)('the service hall in the demo', () => {
  let server: RunningServer;
  let fleet: DemoFleet;
  let browser: Browser;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    ensureWebBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-hall-'));
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

  // One signed-in page per resident: a second SMS code for the same phone within a minute is refused.
  const residents = new Map<string, Page>();
  async function residentPage(phone = ZHANG) {
    const open = residents.get(phone);
    if (open) {
      await open.locator('.adm-tab-bar-item').filter({ hasText: '服务馆' }).click();
      await open.getByTestId('hall-card').waitFor();
      return open;
    }
    const { page } = await openPage(browser, 'resident', { ...PHONE, allow4xx: true });
    residents.set(phone, page);
    await page.goto(`${base}/app/resident/`);
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(phone);
    await page.getByTestId('agree').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.getByRole('textbox', { name: '验证码', exact: true }).fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('我的快递').first().waitFor();
    await page.locator('.adm-tab-bar-item').filter({ hasText: '服务馆' }).click();
    await page.getByTestId('hall-card').waitFor();
    return page;
  }

  it('a resident orders fresh fruit → staff deposit it into her unit locker from the console → she picks it up with the code', async () => {
    const resident = await residentPage();
    await resident.getByText('营业时间').waitFor();
    const item = resident.getByTestId('item-爱媛果冻橙');
    await item.locator('.adm-stepper-plus, button').last().click();
    await shot(resident, 'hall-tab');
    await resident.getByTestId('checkout').click();
    await resident.getByText('送到我家单元门口的智能柜（凭取件码取）').waitFor();
    await resident.getByTestId('pay').click();
    const card = resident.locator('[data-testid^=order-]').first();
    await card.getByText('已支付，备货中').waitFor({ timeout: 10_000 });
    const orderCode = (await card.getAttribute('data-testid'))!.replace('order-', '');

    const { page: staff } = await openPage(browser, 'staff', {
      width: 1280,
      height: 800,
      allow4xx: true,
    });
    await staff.goto(`${base}/app/staff/`);
    await staff.getByLabel('账号').fill('qsh.hall');
    await staff.getByLabel('密码').fill(DEMO_PASSWORD);
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.getByRole('tab', { name: '服务馆', exact: true }).click({ timeout: 15_000 });
    await staff.getByTestId(`deliver-${orderCode}`).click();
    // The simulated hand puts the fruit in and shuts the door: the order shows the compartment.
    await staff.getByText(/已存入 \d+ 号格口/).waitFor({ timeout: 30_000 });
    await shot(staff, 'hall-console');

    await card.getByText('已存入楼下智能柜').waitFor({ timeout: 20_000 });
    await shot(resident, 'hall-order-in-locker');
    await resident.locator('.adm-tab-bar-item').filter({ hasText: '快递' }).click();
    const parcel = resident.locator('[data-testid=parcel][data-status=stored]').first();
    await parcel.waitFor({ timeout: 15_000 });
    const code = (await parcel.getByTestId('code').textContent())!.trim();
    expect(code).toMatch(/^\d{8}$/);

    const screen = server.screens.find((s) => s.place.startsWith('清淳家园'))!;
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
    await resident
      .locator('[data-testid=parcel][data-status=picked_up]')
      .first()
      .waitFor({ timeout: 20_000 });
    expect(consoleErrors).toEqual([]);
  }, 180_000);

  it('a resident joins a group buy to collect at the hall instead of her door locker', async () => {
    const resident = await residentPage();
    await resident.getByText('团购', { exact: true }).click();
    await resident.getByRole('button', { name: '参团', exact: true }).first().click();
    await resident.getByTestId('gb-pickup').click();
    await resident.getByRole('button', { name: '参团并支付' }).click();
    await resident.getByText('参团成功').waitFor({ timeout: 10_000 });
    const join = await server.database.db
      .selectFrom('hall_group_joins')
      .select(['fulfilment', 'status'])
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(join).toMatchObject({ fulfilment: 'pickup', status: 'paid' });
    await resident
      .getByText(/我已参团/)
      .first()
      .waitFor();
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('a resident books the meeting room and gets a check-in code', async () => {
    const resident = await residentPage('13800000002');
    await resident.getByText('预约', { exact: true }).click();
    await resident.getByTestId('slot-meeting_room-15:00').click();
    await resident.getByRole('button', { name: '预约', exact: true }).last().click();
    await resident.getByText(/预约成功，到馆出示签到码 \d{6}/).waitFor({ timeout: 10_000 });
    await resident.getByRole('button', { name: '知道了' }).click();
    await resident.getByTestId('my-booking').filter({ hasText: '议事会议室' }).waitFor();
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
