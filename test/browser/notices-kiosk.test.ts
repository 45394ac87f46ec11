/**
 * Notices, activities and the hall kiosk (issue 15, items 5–6) in Chromium against a real
 * demo node:
 *  1. a resident signs in to the app, sees their community's notices (not the other
 *     community's compound notice), signs up for an activity in 通知 → 活动, and finds it
 *     under 我的报名;
 *  2. at the hall kiosk a resident signs in with an SMS code and sees their own social-security
 *     statement and the grid worker and community police of their unit; 退出 ends the session.
 * No page may log a console error. Screenshot: docs/screenshots/hall-kiosk.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

const SX_RESIDENT = '13800000006'; // 赵老师, 蜀西社区
const QSH_RESIDENT = '13800000001'; // 张阿姨, 清水河社区 1栋1单元 (grid 1)

describe.skipIf(!haveChromium)('notices, activities and the hall kiosk', () => {
  let w: BrowserWorld;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  const lastCode = async (phone: string) =>
    until(`an SMS code for ${phone}`, async () => {
      const r = await fetch(`${w.base}/api/v1/dev/sms?phone=${phone}`);
      const list = (await r.json()) as { text: string }[];
      return list[0]?.text.match(/\d{6}/)?.[0];
    });

  it('a resident reads the notices for their place and signs up for an activity in the app', async () => {
    const { page } = await openPage(browser, 'resident', { width: 390, height: 844 });
    await page.goto(`${w.base}/app/resident/`);
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(SX_RESIDENT);
    await page.getByTestId('agree').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.getByRole('textbox', { name: '验证码', exact: true }).fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('.adm-tab-bar-item', { hasText: '通知' }).click();

    await page.getByText('【紧急】寒潮降温提醒').waitFor({ timeout: 10_000 });
    expect(await page.getByText('清淳家园明日停水通知').count()).toBe(0);

    await page.getByRole('tab', { name: '活动' }).click();
    const item = page.locator('[data-activity="垃圾分类宣传志愿活动"]').first();
    await item.waitFor();
    await item.getByRole('button', { name: '报名' }).click();
    await item.getByText('已报名').waitFor({ timeout: 10_000 });

    await page.getByRole('tab', { name: '我的报名' }).click();
    await page
      .locator('.adm-tabs-content [data-activity="垃圾分类宣传志愿活动"]')
      .filter({ visible: true })
      .first()
      .waitFor();
    const mine = await w.server.database.db
      .selectFrom('activity_signups as s')
      .innerJoin('activities as a', 'a.id', 's.activity_id')
      .select(['s.status', 'a.title'])
      .where('a.title', '=', '垃圾分类宣传志愿活动')
      .execute();
    expect(mine.map((m) => m.status)).toEqual(['confirmed', 'confirmed']);

    // Elder mode (我的 → 关怀模式) enlarges the tab's tabs, text and buttons.
    await page.locator('.adm-tab-bar-item', { hasText: '我的' }).click();
    await page.getByRole('switch', { name: '关怀模式' }).click();
    await until('elder mode on', async () =>
      page.evaluate(() =>
        (
          globalThis as unknown as {
            document: { documentElement: { classList: { contains(c: string): boolean } } };
          }
        ).document.documentElement.classList.contains('elder'),
      ),
    );
    await page.locator('.adm-tab-bar-item', { hasText: '通知' }).click();
    await page.getByRole('tab', { name: '活动' }).click();
    const tab = page.locator('.adm-tabs-tab', { hasText: '活动' }).first();
    expect(
      await tab.evaluate((el) =>
        parseFloat(
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
          ).getComputedStyle(el).fontSize,
        ),
      ),
    ).toBeGreaterThanOrEqual(18);
    const cancel = page
      .locator('[data-activity="垃圾分类宣传志愿活动"]')
      .first()
      .getByRole('button', { name: '取消报名' });
    expect((await cancel.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await shot(page, 'resident-notices-elder');
  });

  it('the hall kiosk signs a resident in and shows their own social security and grid worker', async () => {
    const hall = await w.server.database.db
      .selectFrom('halls as h')
      .innerJoin('communities as c', 'c.id', 'h.community_id')
      .select('h.id')
      .where('c.name', '=', '清水河社区')
      .executeTakeFirstOrThrow();
    const { page } = await openPage(browser, 'hall-kiosk', { width: 1280, height: 900 });
    await page.goto(`${w.base}/app/hall-kiosk/?hall=${hall.id}`);
    await page.getByText('清淳家园蚁巢服务馆').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('board-notice').first().waitFor();

    await page.getByRole('textbox', { name: '手机号' }).fill(QSH_RESIDENT);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('textbox', { name: '验证码' }).fill(await lastCode(QSH_RESIDENT));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('您好，张阿姨').waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: '社保查询' }).click();
    const ss = page.getByTestId('social-security');
    await ss.waitFor();
    expect(await ss.textContent()).toContain('张*姨');
    expect(await ss.textContent()).toContain('正常');
    await shot(page, 'hall-kiosk-social-security');
    await page.getByRole('button', { name: '返回' }).click();

    await page.getByRole('button', { name: '我的网格员和社区民警' }).click();
    const contacts = page.getByTestId('contacts');
    await contacts.waitFor();
    const text = (await contacts.textContent())!;
    expect(text).toContain('清淳家园 1栋 1单元');
    expect(text).toContain('清水河社区第一网格网格员');
    expect(text).toContain('陈警官');
    expect(await contacts.locator('a[href^="tel:"]').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'hall-kiosk');

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: '获取验证码' }).waitFor();
    const ended = await until('the kiosk session ended', async () =>
      w.server.database.db
        .selectFrom('kiosk_sessions')
        .select('ended_at')
        .where('ended_at', 'is not', null)
        .executeTakeFirst(),
    );
    expect(ended.ended_at).toBeTruthy();
  });

  it('the console shows a community worker the full activity with its waiting list, and publishes a notice', async () => {
    const { page } = await openPage(browser, 'staff', { width: 1366, height: 860 });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.worker');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '通知与活动' }).click({ timeout: 20_000 });
    await page.getByRole('tab', { name: '公益活动' }).click();
    const row = page.locator('tr', { hasText: '社区义诊' });
    await row.getByText('候补 1 人').waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: '报名名单' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('王大爷').waitFor();
    expect(await dialog.textContent()).toContain('138****0003');
    await dialog.getByRole('button', { name: /close|关闭/i }).click();

    await page.getByRole('tab', { name: '通知公告' }).click();
    await page.getByLabel('发布范围').first().click();
    await page.getByTitle('清水河社区（全社区）').click();
    await page.getByLabel('标题').fill('周末文明养犬宣传');
    await page.getByLabel('正文').fill('遛狗请牵绳，及时清理粪便。');
    await page.getByRole('button', { name: /发\s*布/ }).click();
    await page.locator('tr', { hasText: '周末文明养犬宣传' }).waitFor({ timeout: 10_000 });
    await shot(page, 'staff-notices');
  });

  it("hall staff publish to their hall's community without reading the community (no 404s)", async () => {
    const { page } = await openPage(browser, 'hall-staff', { width: 1366, height: 860 });
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.hall');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '通知与活动' }).click({ timeout: 20_000 });
    await page.getByLabel('发布范围').first().click();
    await page.getByTitle('清水河社区（全社区）').click();
    await page.getByLabel('标题').fill('服务馆周五延长营业');
    await page.getByLabel('正文').fill('本周五服务馆营业至 21:00。');
    await page.getByRole('button', { name: /发\s*布/ }).click();
    await page.locator('tr', { hasText: '服务馆周五延长营业' }).waitFor({ timeout: 10_000 });
    const row = await w.server.database.db
      .selectFrom('notices')
      .select(['scope_kind', 'hall_id'])
      .where('title', '=', '服务馆周五延长营业')
      .executeTakeFirstOrThrow();
    expect(row.scope_kind).toBe('community');
    expect(row.hall_id).not.toBeNull(); // written as the hall's
    expect(failed).toEqual([]);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
