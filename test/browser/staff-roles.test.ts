/**
 * The staff console for every staff role, in Chromium against the demo world: each demo
 * account signs in and lands on a non-empty first screen that names places (no raw ids,
 * no error pop-ups, no console errors or page errors). Also: the first load of the console
 * stays inside the staff budget (gzipped JS fetched before the first screen shows), and the
 * remote-open dialog has one cancel and shows a message, not a page error, without a reason.
 * Screenshots (ANTNEST_SCREENSHOTS=1): docs/screenshots/staff-{hall,grid,partner,officer,worker,admin}.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { consoleErrors, haveChromium, openPage, shot } from './browser.ts';
import { type BrowserWorld, useBrowserWorld } from './world.ts';

const DIST = path.resolve(import.meta.dirname, '../../web/dist');
const STAFF_BUDGET_KB = 300;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe.skipIf(!haveChromium)('staff console: a first screen for every staff role', () => {
  let w: BrowserWorld;
  let browser: Browser;
  useBrowserWorld((world, b) => ((w = world), (browser = b)));

  /** Sign in as a demo account and wait for the first screen; `js` collects the JS files fetched (clear it to start a count). */
  async function signIn(
    username: string,
    firstScreen: string,
  ): Promise<{ page: Page; js: Set<string>; close(): Promise<void> }> {
    const { context, page } = await openPage(browser, `staff-${username}`, {
      width: 1366,
      height: 860,
    });
    const js = new Set<string>();
    page.on('response', (r) => {
      const m = /\/app\/(assets\/[^?]+\.js)$/.exec(new URL(r.url()).pathname);
      if (m) js.add(m[1]!);
    });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').waitFor();
    if (username === 'qsh.worker') report('signed out: the sign-in screen', js);
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId(firstScreen).waitFor({ timeout: 20_000 });
    return { page, js, close: () => context.close() };
  }

  /** The first screen's text: not empty, names places, shows no ids and no error pop-up. */
  async function expectNamedFirstScreen(page: Page, places: string[]): Promise<string> {
    const main = page.locator('main, .ant-layout-content').first();
    for (const p of places) await main.getByText(p).first().waitFor({ timeout: 15_000 });
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/jinquan-\d{4}/);
    expect(await page.locator('.ant-message-error, [role=alert]').count()).toBe(0);
    return text;
  }

  /** The picker shows community names, never ids. */
  async function expectNamedPicker(page: Page, name: string) {
    const picker = page.getByTestId('community-picker');
    await expect(picker.innerText()).resolves.toContain(name);
  }

  /** The locker list names compound and building; rows exist. */
  async function expectNamedLockers(page: Page, compound: string) {
    await page.getByRole('tab', { name: '智能柜' }).click();
    await page.getByTestId('locker-row').first().waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('locker-row').first().innerText()).resolves.toContain(compound);
  }

  /** Gzipped bytes of the JS files fetched (the wire size with the server's compression), printed per file; fails over the budget. */
  function report(what: string, js: Set<string>) {
    const sizes = [...js]
      .map((f) => ({ f, gz: gzipSync(fs.readFileSync(path.join(DIST, f))).length }))
      .sort((a, b) => b.gz - a.gz);
    const kb = sizes.reduce((n, x) => n + x.gz, 0) / 1024;
    const br =
      [...js].reduce(
        (n, f) => n + brotliCompressSync(fs.readFileSync(path.join(DIST, f))).length,
        0,
      ) / 1024;
    console.log(
      `staff console first load, ${what}: ${js.size} JS files, ${kb.toFixed(1)} KB gzipped, ${br.toFixed(1)} KB brotli (budget ${STAFF_BUDGET_KB} KB): ${sizes.map((x) => `${x.f.replace('assets/', '')} ${(x.gz / 1024).toFixed(1)}`).join(', ')}`,
    );
    expect(kb, what).toBeLessThanOrEqual(STAFF_BUDGET_KB);
  }

  const mine = (username: string) =>
    consoleErrors.filter((e) => e.startsWith(`staff-${username}:`));

  it('community worker: overview of 清水河社区 lockers; first load within the staff budget', async () => {
    const { page, js, close } = await signIn('qsh.worker', 'overview');
    await expectNamedFirstScreen(page, ['清水河社区', '清淳家园 · 1栋']);
    await expectNamedPicker(page, '清水河社区');
    // A returning staff member (signed in): reload and count what the first screen needs.
    js.clear();
    await page.reload();
    await page
      .getByTestId('overview')
      .getByText('清淳家园 · 1栋')
      .first()
      .waitFor({ timeout: 15_000 });
    report('signed in: the overview', js);
    await shot(page, 'staff-worker');
    await expectNamedLockers(page, '清淳家园');
    // The remote-open dialog: one cancel; 开门 without a reason says what is missing, no page error.
    await page.locator('[data-locker-id="jinquan-0001"]').click();
    await page.getByTestId('compartment').first().click();
    const dialog = page.getByRole('dialog').filter({ hasText: '远程开门' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: /取\s*消/ }).count()).toBe(1);
    await dialog.getByRole('button', { name: /开\s*门/ }).click();
    await dialog.getByText('请填写开门原因（至少 4 个字）').waitFor();
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    // The tooltip of a compartment is in words (no "UV: off").
    await page.getByTestId('compartment').first().hover();
    await expect(page.locator('.ant-tooltip').last().innerText()).resolves.toMatch(
      /柜门：.+ · 消毒灯：/,
    );
    expect(mine('qsh.worker')).toEqual([]);
    await close();
  });

  it('grid worker: their grid by name, its lockers only', async () => {
    const { page, close } = await signIn('qsh.grid1', 'overview');
    await expectNamedFirstScreen(page, ['清水河社区 第一网格', '清淳家园 · 1栋']);
    await expectNamedPicker(page, '清水河社区');
    await shot(page, 'staff-grid');
    await expectNamedLockers(page, '清淳家园');
    // Grid 1 is buildings 1–8, three units each: 24 lockers, none of building 9 or later.
    await expect(page.getByText('共 24 台').isVisible()).resolves.toBe(true);
    expect(mine('qsh.grid1')).toEqual([]);
    await close();
  });

  it('hall staff: their hall by name and the lockers it serves', async () => {
    const { page, close } = await signIn('qsh.hall', 'overview');
    await expectNamedFirstScreen(page, [
      '清淳家园蚁巢服务馆',
      '清淳家园东门临街商铺',
      '清淳家园 · 1栋',
    ]);
    await expectNamedPicker(page, '清水河社区');
    await shot(page, 'staff-hall');
    await expectNamedLockers(page, '清淳家园');
    await page.getByRole('tab', { name: '逾期转服务馆' }).click();
    await page.getByRole('columnheader', { name: '货架位置' }).waitFor();
    expect(mine('qsh.hall')).toEqual([]);
    await close();
  });

  it('partner: the hall they invested in, and their statement', async () => {
    const { page, close } = await signIn('qsh.partner', 'partner');
    await expectNamedFirstScreen(page, ['清淳家园蚁巢服务馆', '清水河社区', '社区账本']);
    await shot(page, 'staff-partner');
    expect(mine('qsh.partner')).toEqual([]);
    await close();
  });

  it('subdistrict officer: every community in the picker, by name', async () => {
    const { page, close } = await signIn('jq.officer', 'overview');
    await expectNamedFirstScreen(page, ['金泉街道', '清淳家园 · 1栋']);
    await page.getByTestId('community-picker').click();
    await page.getByTitle('蜀西社区（金泉街道）').click();
    await page
      .getByTestId('overview')
      .getByText('两河锦地 · 1栋')
      .first()
      .waitFor({ timeout: 15_000 });
    await shot(page, 'staff-officer');
    expect(mine('jq.officer')).toEqual([]);
    await close();
  });

  it('operator admin: the whole platform, every community', async () => {
    const { page, close } = await signIn('admin', 'overview');
    await expectNamedFirstScreen(page, ['全平台', '清淳家园 · 1栋']);
    await expectNamedPicker(page, '清水河社区');
    await expectNamedLockers(page, '清淳家园');
    // In English every label of the console is English (place names stay as they are).
    await page.getByRole('button', { name: 'EN' }).click();
    for (const label of ['Overview', 'Alerts', 'Lockers', 'Parcels'])
      await page.getByRole('tab', { name: label }).waitFor();
    await page.getByText('All compounds').waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();
    for (const label of [
      'My roles',
      'Operator admin',
      'The whole platform',
      'Lockers in my care',
      'Needs attention',
    ])
      await page.getByText(label, { exact: true }).first().waitFor();
    const body = await page.locator('.ant-tabs').innerText();
    // What is left in Chinese is data: place names (清淳家园 · 1栋 · 1单元 · 智能柜) and the subdistrict.
    const chinese = body
      .split('\n')
      .filter(
        (l) =>
          /[\u4e00-\u9fff]/.test(l) && !/清淳家园|两河锦地|金泉街道|清水河社区|蜀西社区/.test(l),
      );
    expect(chinese).toEqual([]);
    await page.getByRole('button', { name: '中文' }).click();
    expect(mine('admin')).toEqual([]);
    await close();
  });
});
