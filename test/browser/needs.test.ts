/**
 * Residents' needs in Chromium against the demo world (issue 16): a resident files a need
 * with a photo in 找社区 → the grid worker sees it in the console worklist, accepts, replies
 * and closes it → the resident sees the answer and rates it. No page may log a console error.
 * Screenshots (ANTNEST_SCREENSHOTS=1): docs/screenshots/needs-{resident-form,staff-worklist,staff-need,resident-rated}.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

const RESIDENT = '13800000001';
const TEXT = '浏览器测试：1栋1单元楼道里堆了纸箱，挡住了消防通道';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(!haveChromium)('needs: resident files, grid worker answers, resident rates', () => {
  let w: BrowserWorld;
  let browser: Browser;
  let resident: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
    ({ page: resident } = await openPage(browser, 'needs-resident', { width: 390, height: 844 }));
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('the resident files a need with a photo in 找社区', async () => {
    await resident.goto(`${w.base}/app/resident/`);
    await resident.getByRole('textbox', { name: '手机号', exact: true }).fill(RESIDENT);
    await resident.getByTestId('agree').click();
    await resident.getByRole('button', { name: '获取验证码' }).click();
    const sms = await resident.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await resident.getByRole('textbox', { name: '验证码', exact: true }).fill(sms!);
    await resident.getByRole('button', { name: '登录', exact: true }).click();
    await resident.locator('.adm-tab-bar-item', { hasText: '找社区' }).click();
    await resident.getByTestId('need-new').click();
    await resident.getByText('环境卫生', { exact: true }).click();
    await resident.getByText('楼道杂物', { exact: true }).click();
    await resident.getByTestId('need-description').locator('textarea').fill(TEXT);
    await resident
      .locator('input[type=file]')
      .setInputFiles({ name: 'boxes.png', mimeType: 'image/png', buffer: PNG });
    await resident.locator('.adm-image-uploader-cell-image').first().waitFor({ timeout: 10_000 });
    await until(
      'photo uploaded',
      async () => (await resident.locator('.adm-image-uploader-cell-loading').count()) === 0,
    );
    await shot(resident, 'needs-resident-form');
    await resident.getByTestId('need-submit').click();
    await resident.getByText('我的诉求').waitFor();
    const row = await until('stored', async () =>
      w.server.database.db
        .selectFrom('needs')
        .selectAll()
        .where('description', '=', TEXT)
        .executeTakeFirst(),
    );
    expect(row.channel).toBe('app');
    expect(row.party).toBe('grid_worker');
    const photos = await w.server.database.db
      .selectFrom('need_photos')
      .select('id')
      .where('need_id', '=', row.id)
      .execute();
    expect(photos).toHaveLength(1);
  });

  it('the grid worker sees it in the worklist, accepts, replies and closes', async () => {
    const { page } = await openPage(browser, 'needs-grid', { width: 1366, height: 860 });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.grid1');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '居民诉求' }).click({ timeout: 20_000 });
    const row = page.locator('tr', { hasText: TEXT.slice(0, 12) });
    await row.waitFor({ timeout: 15_000 });
    await shot(page, 'needs-staff-worklist');
    await row.click();
    await page.getByTestId('need-accept').click();
    await page.getByTestId('need-reply').waitFor();
    await page.getByTestId('need-reply').click();
    await page.getByTestId('need-act-text').fill('已联系住户清走纸箱，消防通道已畅通。');
    await page.getByTestId('need-act-ok').click();
    await page.getByTestId('need-close').click();
    await page.getByTestId('staff-need').getByText('已办结').first().waitFor();
    await shot(page, 'needs-staff-need');
    const n = await w.server.database.db
      .selectFrom('needs')
      .select(['status', 'reply'])
      .where('description', '=', TEXT)
      .executeTakeFirstOrThrow();
    expect(n).toEqual({ status: 'closed', reply: '已联系住户清走纸箱，消防通道已畅通。' });
  });

  it('the resident sees the answer and rates it', async () => {
    await resident.reload();
    await resident.locator('.adm-tab-bar-item', { hasText: '找社区' }).click();
    await resident.locator('.adm-list-item', { hasText: '环境卫生' }).first().click();
    await resident.getByTestId('need-reply').waitFor();
    await resident.getByTestId('need-rate-submit').click();
    await resident.getByText('我的评价').waitFor();
    await shot(resident, 'needs-resident-rated');
    const n = await w.server.database.db
      .selectFrom('needs')
      .select(['rating'])
      .where('description', '=', TEXT)
      .executeTakeFirstOrThrow();
    expect(n.rating).toBe(5);
    const errors = consoleErrors.filter((e) => e.startsWith('needs-'));
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
