/**
 * Issue 18 in Chromium against the demo world: the subdistrict officer opens the dashboards
 * (the subdistrict's charts drawn by ECharts), drills into a community, and exports a chart
 * as CSV. Screenshots (ANTNEST_SCREENSHOTS=1): docs/screenshots/analytics-{subdistrict,community}.png.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { rebuildAll } from '../../src/modules/analytics/rebuild.service.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

describe.skipIf(!haveChromium)('dashboards: subdistrict → community, CSV export', () => {
  let w: BrowserWorld;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    // The demo seed writes straight through repositories: count its history once, as an operator would after an import.
    await rebuildAll(w.server.database.db);
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('opens the subdistrict dashboard, drills into a community and downloads a CSV', async () => {
    const { context, page } = await openPage(browser, 'analytics', { width: 1366, height: 1400 });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('jq.officer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '数据看板' }).click();
    await page.getByTestId('dashboards').waitFor({ timeout: 20_000 });
    await page.getByTestId('crumb-subdistricts').waitFor();
    // ECharts draws into a canvas once its chunk has loaded.
    await page
      .locator('[data-testid=chart-utilisation] canvas')
      .first()
      .waitFor({ timeout: 20_000 });
    // ECharts animates for about a second: let it finish before the picture (slower on a busy machine).
    if (process.env['ANTNEST_SCREENSHOTS']) await page.waitForTimeout(2500);
    await shot(page, 'analytics-subdistrict');

    const drill = page.getByTestId('drill-down').locator('a').first();
    const community = await drill.innerText();
    await drill.click();
    await page.getByTestId('crumb-communities').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('crumb-communities').innerText()).toBe(community);
    await page.locator('[data-testid=chart-carriers] canvas').first().waitFor({ timeout: 20_000 });
    if (process.env['ANTNEST_SCREENSHOTS']) await page.waitForTimeout(2500);
    await shot(page, 'analytics-community');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-carriers').click(),
    ]);
    const file = await download.path();
    const csv = fs.readFileSync(file!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'carrier,deposits,pickups,overdue,returned,overdue_rate,consent_refusals',
    );
    expect(consoleErrors.filter((e) => e.startsWith('analytics'))).toEqual([]);
    await context.close();
  }, 120_000);
});
