/**
 * The resident app for older residents and poor networks (issue 12, items 6 and 7), in
 * Chromium against a real node and a real locker agent:
 *  1. sign-in shows the user agreement and privacy notice, refuses to send a code until
 *     they are accepted, and the acceptance is recorded with its version;
 *  2. elder mode (我的 → 关怀模式): tab labels ≥ 14 px, body text ≥ 18 px, touch targets
 *     ≥ 48 px, measured with getComputedStyle; remembered after a reload and on the account;
 *  3. on a 360 px screen the share sheet is fully visible and a share is cancelled with a
 *     visible button;
 *  4. after the service worker installed, offline + reload still shows the parcel list with
 *     its code;
 *  5. a family member with no home opens 我的 with no 403 and joins by the resident's invitation link.
 * No page may log a console error. Screenshot: docs/screenshots/resident-elder.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

const RESIDENT = '13800000001';
/** The page's globals, typed for the callbacks that run in the browser (the test itself is compiled without the DOM lib). */
interface PageGlobals {
  getComputedStyle(el: unknown): { fontSize: string };
  document: { documentElement: { classList: { contains(c: string): boolean } } };
  localStorage: { getItem(k: string): string | null };
  navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
}
const SMALL_PHONE = { width: 360, height: 740 };

describe.skipIf(!haveChromium)('resident app: elder mode, sheets, agreements, offline', () => {
  let w: BrowserWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let code = '';

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
    // A parcel waiting for the resident: deposited by a courier, door shut with it inside.
    const d = await w.api('POST', `/lockers/${w.lockerId}/deposits`, 'courier.sf', {
      waybill: 'SF2026120501',
      recipientPhone: RESIDENT,
      size: 'S',
    });
    expect(d.status, JSON.stringify(d.json)).toBeLessThan(300);
    await until('door open', async () => w.bus.door(d.json.compartment) === 'open', 10_000);
    w.bus.setOccupied(d.json.compartment, true);
    w.bus.closeDoor(d.json.compartment);
    await until(
      'stored',
      async () =>
        (await w.api('GET', '/courier/deposits', 'courier.sf')).json.find(
          (p: { waybill: string; status: string }) =>
            p.waybill === 'SF2026120501' && p.status === 'stored',
        ),
      15_000,
    );
    ({ context, page } = await openPage(browser, 'resident', SMALL_PHONE));
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  /** Toasts from earlier steps would cover the screenshot. */
  const noToast = async (p: Page) =>
    p
      .locator('.adm-toast-main')
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => {});
  const px = (loc: ReturnType<Page['locator']>) =>
    loc.evaluate((el) =>
      parseFloat((globalThis as unknown as PageGlobals).getComputedStyle(el).fontSize),
    );

  it('sign-in shows the agreement and privacy notice and records their acceptance with the version', async () => {
    await page.goto(`${w.base}/app/resident/`);
    await expect(
      page.getByRole('link', { name: '《用户服务协议》' }).getAttribute('href'),
    ).resolves.toBe('/legal/terms');
    await expect(
      page.getByRole('link', { name: '《隐私政策》' }).getAttribute('href'),
    ).resolves.toBe('/legal/privacy');
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(RESIDENT);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('请先阅读并同意');
    await page.getByTestId('agree').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const sms = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.getByRole('textbox', { name: '验证码', exact: true }).fill(sms!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const card = page.locator('[data-testid=parcel][data-status=stored]');
    await card.waitFor({ timeout: 15_000 });
    code = (await card.getByTestId('code').textContent())!.trim();
    expect(code).toMatch(/^\d{8}$/);
    const rows = await w.server.database.db
      .selectFrom('agreement_acceptances')
      .select(['document', 'version', 'lang'])
      .execute();
    expect(rows.map((r) => r.document).sort()).toEqual(['privacy', 'terms']);
    const pageText = await (await fetch(`${w.base}/legal/privacy`)).text();
    expect(pageText).toContain(`版本 ${rows[0]!.version}`);
  });

  it('elder mode makes text and touch targets larger, and is remembered', async () => {
    const tabLabel = page.locator('.adm-tab-bar-item-title').first();
    expect(await px(tabLabel)).toBeLessThan(14);
    await page.locator('.adm-tab-bar-item', { hasText: '我的' }).click();
    await page.getByRole('switch', { name: '关怀模式' }).click();
    await until('elder mode on', async () =>
      page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.documentElement.classList.contains('elder'),
      ),
    );
    expect(await px(tabLabel)).toBeGreaterThanOrEqual(14);
    expect(
      await px(page.locator('.adm-list-item-content-main', { hasText: '关怀模式' })),
    ).toBeGreaterThanOrEqual(18);
    await noToast(page);
    await shot(page, 'resident-elder-me');
    await page.locator('.adm-tab-bar-item', { hasText: '快递' }).click();
    const card = page.locator('[data-testid=parcel][data-status=stored]');
    await card.waitFor();
    // Every line of the card a person reads: the grey label, the address and compartment lines.
    for (const text of ['取件码', '号格口', '免费保管至'])
      expect(await px(card.getByText(text, { exact: false }).first()), text).toBeGreaterThanOrEqual(
        18,
      );
    for (const name of ['远程开柜', '分享给家人代取', '扫码取件']) {
      const box = (await page.getByRole('button', { name }).boundingBox())!;
      expect(box.height, name).toBeGreaterThanOrEqual(48);
    }
    const tab = (await page.locator('.adm-tab-bar-item').first().boundingBox())!;
    expect(tab.height).toBeGreaterThanOrEqual(48);
    await page.reload();
    await page.locator('[data-testid=parcel][data-status=stored]').waitFor();
    expect(await px(page.locator('.adm-tab-bar-item-title').first())).toBeGreaterThanOrEqual(14);
    await noToast(page);
    await shot(page, 'resident-elder');
    const userId = await page.evaluate(
      () =>
        JSON.parse(
          (globalThis as unknown as PageGlobals).localStorage.getItem('antnest.resident.session')!,
        ).userId as string,
    );
    const saved = await w.server.database.db
      .selectFrom('user_settings')
      .select('elder_mode')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    expect(Number(saved?.elder_mode)).toBe(1);
  });

  it('the share sheet fits a 360 px screen and a share is cancelled with a visible button', async () => {
    await page.getByRole('button', { name: '分享给家人代取' }).click();
    const sheet = page.locator('.adm-popup-body').filter({ hasText: '分享给家人代取' });
    await sheet.waitFor();
    await sheet.getByRole('textbox', { name: '家人手机号' }).fill('13800000002');
    await sheet.getByRole('button', { name: '分享', exact: true }).click();
    await sheet.getByTestId('share').waitFor();
    await page.waitForTimeout(400); // the sheet's slide-in animation
    const box = (await sheet.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(SMALL_PHONE.width);
    const cancel = sheet.getByTestId('share').getByRole('button', { name: '取消分享' });
    const c = (await cancel.boundingBox())!;
    expect(c.x + c.width).toBeLessThanOrEqual(SMALL_PHONE.width);
    await noToast(page);
    await shot(page, 'resident-share-360');
    await cancel.click();
    await page.locator('.adm-dialog-button', { hasText: '取消分享' }).click();
    await until('share gone', async () => (await sheet.getByTestId('share').count()) === 0);
    await sheet.getByRole('button', { name: '关闭' }).click();
    // Revoking changed the code; the card shows the new one.
    await until(
      'new code',
      async () =>
        ((
          await page
            .locator('[data-testid=parcel][data-status=stored]')
            .getByTestId('code')
            .textContent()
        )?.trim() ?? code) !== code,
    );
    code = (await page
      .locator('[data-testid=parcel][data-status=stored]')
      .getByTestId('code')
      .textContent())!.trim();
  });

  it('once the service worker is installed, the parcel list with codes shows offline', async () => {
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).navigator.serviceWorker.ready.then(() => true),
    );
    await until(
      'controlled by the service worker',
      async () =>
        page.evaluate(
          () => !!(globalThis as unknown as PageGlobals).navigator.serviceWorker.controller,
        ),
      10_000,
    );
    await page.reload();
    await page.locator('[data-testid=parcel][data-status=stored]').waitFor();
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByTestId('offline').waitFor({ timeout: 15_000 });
      const card = page.locator('[data-testid=parcel][data-status=stored]');
      await expect(card.getByTestId('code').textContent()).resolves.toBe(code);
      await shot(page, 'resident-offline');
    } finally {
      await context.setOffline(false);
    }
  });

  it("a family member with no home opens 我的 without errors and joins the home with the resident's invitation", async () => {
    await page.locator('.adm-tab-bar-item', { hasText: '我的' }).click();
    await page.getByRole('button', { name: '邀请家人' }).first().click();
    const invite = (await page.getByTestId('invite-code').textContent())!.trim();
    expect(invite).toMatch(/^\d{8}$/);
    await page.getByRole('button', { name: '知道了' }).click();

    // The link the resident passes on opens 我的 with the code filled in, after sign-in.
    const { page: family } = await openPage(browser, 'family', SMALL_PHONE);
    await family.goto(`${w.base}/app/resident/?invite=${invite}`);
    await family.getByRole('textbox', { name: '手机号', exact: true }).fill('13912345678');
    await family.getByTestId('agree').click();
    await family.getByRole('button', { name: '获取验证码' }).click();
    const sms = await family.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await family.getByRole('textbox', { name: '验证码', exact: true }).fill(sms!);
    await family.getByRole('button', { name: '登录', exact: true }).click();
    await family.getByText('还没有绑定房屋', { exact: false }).waitFor({ timeout: 15_000 });
    await expect(family.getByRole('textbox', { name: '邀请码' }).inputValue()).resolves.toBe(
      invite,
    );
    await family.getByRole('button', { name: '绑定', exact: true }).click();
    // Bound: the home is listed with its own 邀请家人, and the grid worker of the unit shows.
    await family.getByRole('button', { name: '邀请家人' }).waitFor({ timeout: 10_000 });
    await family.getByText('网格员', { exact: false }).first().waitFor({ timeout: 10_000 });
    await noToast(family);
    await shot(family, 'resident-family-bound');
  });

  it('logged no console errors', () => {
    // Offline reloads make the browser log failed fetches (the API and the live stream): expected there.
    expect(
      consoleErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR/.test(e)),
    ).toEqual([]);
  });
});
