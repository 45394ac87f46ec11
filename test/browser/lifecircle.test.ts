/**
 * The 5-minute life circle and the monthly report in the staff console (Chromium, demo
 * world): the community worker of 清水河社区 opens 生活圈与月报, sees the share of households
 * within five minutes of a hall and the map drawn from the demo's coordinates, runs the
 * planner for N = 2 and sees the proposed site(s) on the map, generates this month's report
 * and opens it. The subdistrict officer sees both communities. The same report's PDF is
 * fetched and checked. No console errors.
 * Screenshots: docs/screenshots/lifecircle-map.png, lifecircle-plan.png,
 * lifecircle-subdistrict.png, report-html.png.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { xrefProblems } from '../../src/modules/analytics/report/pdf-check.ts';
import { consoleErrors, haveChromium, openPage, shot } from './browser.ts';
import { type BrowserWorld, useBrowserWorld } from './world.ts';

describe.skipIf(!haveChromium)('staff console: the life circle and the monthly report', () => {
  let w: BrowserWorld;
  let browser: Browser;
  useBrowserWorld((world, b) => ((w = world), (browser = b)));

  const signIn = async (label: string, username: string) => {
    const { context, page } = await openPage(browser, label, { width: 1366, height: 1000 });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '生活圈与月报' }).click();
    await page.getByTestId('lifecircle-map').waitFor({ timeout: 15_000 });
    return { context, page };
  };

  it('shows the map, plans two more halls and opens the monthly report', async () => {
    const { context, page } = await signIn('lifecircle', 'qsh.worker');
    // 清淳家园: 40 buildings, the hall at the east gate; the west lies beyond five minutes.
    expect(await page.getByTestId('map-building').count()).toBe(40);
    expect(await page.getByTestId('map-hall').count()).toBeGreaterThanOrEqual(1);
    const share = await page.getByTestId('share-hall').innerText();
    expect(share).toMatch(/^\d+ \/ 8640 户$/);
    await page.waitForTimeout(300);
    await shot(page, 'lifecircle-map');

    await page.getByRole('spinbutton').fill('2');
    await page.getByTestId('plan-run').click();
    const result = page.getByTestId('plan-result');
    await result.waitFor({ timeout: 15_000 });
    const proposals = await page.getByTestId('map-proposal').count();
    expect(proposals).toBeGreaterThanOrEqual(1);
    expect(proposals).toBeLessThanOrEqual(2);
    expect(await result.innerText()).toContain('清淳家园');
    await page.getByTestId('lifecircle-map').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, 'lifecircle-plan');

    // This month's report, on demand, then opened as the printable page.
    await page.getByTestId('report-generate').click();
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    await page.getByTestId(`report-html-${month}`).click();
    const frame = page.frameLocator('[data-testid="report-frame"]');
    await frame.getByText(`清水河社区 ${month} 月报`).waitFor({ timeout: 15_000 });
    expect(await frame.locator('[data-key="shareNearHall"]').innerText()).toMatch(/\d+\.\d %/);
    expect(await frame.locator('[data-section="lockers"]').count()).toBe(1);
    await page.waitForTimeout(400);
    await shot(page, 'report-html');

    const headers = { authorization: `Bearer ${await token(page)}` };
    const mine = (await (await fetch(`${w.base}/api/v1/me/workplaces`, { headers })).json()) as {
      communities: { id: string }[];
    };
    const pdf = await fetch(
      `${w.base}/api/v1/analytics/reports/communities/${mine.communities[0]!.id}/months/${month}/report.pdf`,
      { headers },
    );
    expect(pdf.status).toBe(200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(xrefProblems(bytes)).toEqual([]);
    expect(consoleErrors.filter((e) => e.startsWith('lifecircle:'))).toEqual([]);
    await context.close();
  });

  it('gives the subdistrict officer both communities', async () => {
    const { context, page } = await signIn('lifecircle-sd', 'jq.officer');
    await page.getByTestId('lifecircle-scope').getByText('全街道').click();
    await expect.poll(() => page.getByTestId('map-building').count(), { timeout: 15_000 }).toBe(60);
    expect(await page.getByText('蜀西社区').count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await shot(page, 'lifecircle-subdistrict');
    expect(consoleErrors.filter((e) => e.startsWith('lifecircle-sd:'))).toEqual([]);
    await context.close();
  });
});

/** The staff session's access token (the console keeps it in localStorage). */
async function token(page: import('playwright-core').Page): Promise<string> {
  const raw = (await page.evaluate("localStorage.getItem('antnest.staff.session')")) as string;
  return (JSON.parse(raw) as { accessToken: string }).accessToken;
}
