/**
 * Sending with an address, a quote and payment in the resident PWA (issue 20), in Chromium
 * against a real node and a real locker agent: a demo resident fills in both addresses, picks
 * a carrier, weight and size, gets the tariff's quote, pays (the local provider), and the
 * compartment opens on the simulated cabinet; after the door closes on the parcel the order
 * waits for the courier, who sees it with masked phones. No page may log a console error.
 * Screenshot: docs/screenshots/resident-sending.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

const RESIDENT = '13800000001';

describe.skipIf(!haveChromium)('resident app: sending with a quote and payment', () => {
  let w: BrowserWorld;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
    ({ page } = await openPage(browser, 'resident', { width: 390, height: 1400 }));
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('quotes from the tariff, pays, opens the compartment, and the courier sees it masked', async () => {
    await page.goto(`${w.base}/app/resident/`);
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(RESIDENT);
    await page.getByTestId('agree').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const sms = await page.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await page.getByRole('textbox', { name: '验证码', exact: true }).fill(sms!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('寄件 / 寄存').click();
    await page.getByText('寄快递', { exact: true }).click();
    // The app preselects the first carrier (京东物流, by pinyin); choose 顺丰 and see it chosen.
    await page.getByText('顺丰速运').click();
    await page
      .locator('.adm-selector-item-active')
      .filter({ hasText: '顺丰速运' })
      .waitFor({ timeout: 5_000 });
    await page.getByText('1-3kg').click();
    await page.getByLabel('智能柜').selectOption(w.lockerId);
    const fill = async (label: string, v: string) =>
      page.getByRole('textbox', { name: label, exact: true }).fill(v);
    await fill('寄件人姓名', '王小明');
    await fill('寄件人手机号', RESIDENT);
    await fill('寄件人地址', '金泉街道清淳家园1栋1单元302');
    await fill('收件人姓名', '李四');
    await fill('收件人手机号', '13912345678');
    await fill('省', '四川省');
    await fill('市', '成都市');
    await fill('区县', '武侯区');
    await fill('详细地址', '科华北路65号');
    await page.getByRole('button', { name: '获取报价' }).click();
    // Demo tariff: 顺丰 1300 fen + 400 (1-3kg) + 0 (S) = ¥17.00.
    await expect(page.getByRole('status').textContent({ timeout: 10_000 })).resolves.toMatch(
      /17\.00/,
    );
    // The sign-in toast would cover the screenshot.
    await page
      .locator('.adm-toast-main')
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => {});
    await shot(page, 'resident-sending');
    await page.getByRole('button', { name: /支付并开柜/ }).click();
    const row = await until(
      'order paid, compartment opening',
      async () =>
        w.server.database.db
          .selectFrom('sending_orders')
          .innerJoin('parcels', 'parcels.id', 'sending_orders.parcel_id')
          .select(['parcels.compartment', 'sending_orders.price_fen', 'sending_orders.status'])
          .where('sending_orders.status', '=', 'paid')
          .executeTakeFirst(),
      15_000,
    );
    expect(row.price_fen).toBe(1700);
    await until('door open', async () => w.bus.door(row.compartment) === 'open', 10_000);
    w.bus.setOccupied(row.compartment, true);
    w.bus.closeDoor(row.compartment);
    await until(
      'courier sees it',
      async () => (await w.api('GET', '/courier/sending/orders', 'courier.sf')).json.length === 1,
      15_000,
    );
    const seen = (await w.api('GET', '/courier/sending/orders', 'courier.sf')).json;
    expect(seen[0]).toMatchObject({
      sender: { phone: '138****0001' },
      recipient: { phone: '139****5678', region: '四川省成都市武侯区' },
    });
    expect(JSON.stringify(seen)).not.toMatch(/单元302|科华北路|13912345678/);
    await page.reload();
    await page.getByText('寄件 / 寄存').click();
    await page.getByText('寄快递', { exact: true }).click();
    await page.getByText('待快递员揽收').waitFor({ timeout: 10_000 });
    expect(consoleErrors).toEqual([]);
  });
});
