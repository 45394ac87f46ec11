/**
 * The hall's services in Chromium against a real demo node (issue 15):
 *  1. the hall kiosk's public board: 本馆服务 (counter phone, items and prices), notices and
 *     activities, a notice staff publish appearing without a reload (the board's live
 *     stream), and the 社区基金 view;
 *  2. 张阿姨 books a home cleaning in the app's 服务馆 tab: picks tomorrow's 10:00 slot, adds
 *     her door number, pays, and sees the appointment on her order; hall staff see the
 *     day's appointments in the console's 服务预约 tab.
 * No page may log a console error. Screenshots: docs/screenshots/hall-kiosk-services.png,
 * hall-kiosk-fund.png, hall-appointment-picker.png, hall-appointment-order.png,
 * hall-console-appointments.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { shanghaiDay } from '../../src/platform/clock.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元
const CLEANING = '家政保洁 2 小时';

describe.skipIf(!haveChromium)('the hall kiosk board and service appointments', () => {
  let w: BrowserWorld;
  let browser: Browser;
  let hallId: string;

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
    hallId = (
      await w.server.database.db
        .selectFrom('halls as h')
        .innerJoin('communities as c', 'c.id', 'h.community_id')
        .select('h.id')
        .where('c.name', '=', '清水河社区')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('the kiosk shows the hall services, notices and activities, a new notice live, and the community fund', async () => {
    const { page } = await openPage(browser, 'hall-kiosk', { width: 1280, height: 900 });
    await page.goto(`${w.base}/app/hall-kiosk/?hall=${hallId}`);
    const services = page.getByTestId('board-services');
    await services.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('board-phone').textContent()).toMatch(/^028-8761 230\d$/);
    expect(await page.getByTestId('board-item').count()).toBeGreaterThanOrEqual(10);
    const text = (await services.textContent())!;
    expect(text).toContain('爱媛果冻橙');
    expect(text).toContain(CLEANING);
    expect(text).toContain('29.80');
    await page.getByTestId('board-notice').first().waitFor();
    await page.getByText('近期活动').waitFor();
    await page.getByText('社区义诊').first().waitFor();

    // Staff publish a notice for the community: it appears on the board without a reload
    // (well before the board's 60 s safety-net refresh).
    const community = await w.server.database.db
      .selectFrom('communities')
      .select('id')
      .where('name', '=', '清水河社区')
      .executeTakeFirstOrThrow();
    const published = await w.api('POST', '/notices', 'qsh.worker', {
      audience: { kind: 'community', id: community.id },
      title: '服务馆周日延长营业',
      body: '本周日服务馆营业至 22:00。',
    });
    expect(published.status, JSON.stringify(published.json)).toBe(201);
    await page.getByText('服务馆周日延长营业').waitFor({ timeout: 15_000 });
    await shot(page, 'hall-kiosk-services');

    await page.getByRole('button', { name: '社区基金' }).click();
    await page.getByTestId('kiosk-fund').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('fund-balance').textContent()).toMatch(/¥/);
    await shot(page, 'hall-kiosk-fund');
    await page.getByRole('button', { name: '服务与公告' }).click();
    await page.getByTestId('board-services').waitFor();
  });

  it('a resident books a home cleaning slot in the app; staff see the day in the console', async () => {
    const { page } = await openPage(browser, 'resident', { width: 390, height: 844 });
    await page.goto(`${w.base}/app/resident/`);
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(ZHANG);
    await page.getByTestId('agree').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.getByRole('textbox', { name: '验证码', exact: true }).fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('我的快递').first().waitFor();
    await page.locator('.adm-tab-bar-item').filter({ hasText: '服务馆' }).click();
    await page.getByTestId('hall-card').waitFor();

    await page.getByTestId(`book-${CLEANING}`).click();
    await page.getByText('明天', { exact: true }).click();
    const slot = page.getByTestId('service-slot-10:00');
    await until('tomorrow 10:00 is offered', async () => slot.isEnabled());
    expect(await slot.textContent()).toContain('余 3');
    await shot(page, 'hall-appointment-picker');
    await slot.click();
    await page.getByTestId(`book-${CLEANING}`).getByText('10:00–12:00').waitFor();

    await page.getByTestId('checkout').click();
    await page.getByText('上门服务到您家所在单元，请在备注中写明楼层和门牌号。').waitFor();
    await page.getByTestId('order-note').locator('textarea').fill('1 楼 101，请按门铃');
    await page.getByTestId('pay').click();
    const card = page.locator('[data-testid^=order-]').first();
    await card.getByTestId('appointment').waitFor({ timeout: 10_000 });
    expect(await card.getByTestId('appointment').textContent()).toMatch(/10:00–12:00 · 上门/);
    await shot(page, 'hall-appointment-order');

    // The slot now has one place fewer; the appointment is the order's, at her unit.
    const tomorrow = shanghaiDay(Date.now() + 86_400_000);
    const day = await w.api('GET', `/halls/${hallId}/appointments?day=${tomorrow}`, 'qsh.hall');
    expect(day.status).toBe(200);
    const mine = day.json.appointments.find(
      (a: { service: string; note: string | null }) =>
        a.service === CLEANING && a.note === '1 楼 101，请按门铃',
    );
    expect(mine).toMatchObject({ where: '清淳家园 1栋1单元', orderStatus: 'paid' });

    const { page: staff } = await openPage(browser, 'staff', { width: 1366, height: 860 });
    await staff.goto(`${w.base}/app/staff/`);
    await staff.getByLabel('账号').fill('qsh.hall');
    await staff.getByLabel('密码').fill(DEMO_PASSWORD);
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.getByRole('tab', { name: '服务馆', exact: true }).click({ timeout: 15_000 });
    await staff.getByRole('tab', { name: '服务预约' }).click();
    // Today's demo appointment: the home cleaning at 14:00 in 张阿姨's unit.
    const row = staff.locator('tr', { hasText: CLEANING }).filter({ visible: true }).first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toMatch(/上门 清淳家园 \d+栋\d+单元/);
    expect(await row.textContent()).not.toMatch(/张阿姨|138/);
    await shot(staff, 'hall-console-appointments');
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
