/**
 * Issue 17 in Chromium: a hall's employees in the staff console. Hall staff open 账本与基金,
 * see who works at the hall and how many are local residents, add one (an impossible start
 * date first: the server's message, nothing saved), and the count and the API follow.
 * Screenshot (ANTNEST_SCREENSHOTS=1): docs/screenshots/staff-hall-employees.png.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { consoleErrors, haveChromium, openPage, shot } from './browser.ts';
import { type BrowserWorld, useBrowserWorld } from './world.ts';

describe.skipIf(!haveChromium)('staff console: a hall’s employees', () => {
  let w: BrowserWorld;
  let browser: Browser;
  useBrowserWorld((world, b) => ((w = world), (browser = b)));

  it('hall staff add a local employee; an impossible start date is refused with its reason and saves nothing', async () => {
    const grant = (await w.api('GET', '/me/workplaces', 'qsh.hall')).json.grants.find(
      (g: { role: string }) => g.role === 'hall_staff',
    );
    const hallId: string = grant.scopeId;
    const report = async () =>
      (await w.api('GET', `/halls/${hallId}/employees`, 'qsh.hall')).json as {
        total: number;
        localResidents: number;
        employees: { name: string; job: string; localResident: boolean; startedOn: string }[];
      };
    const before = await report();

    const { context, page } = await openPage(browser, 'staff-employees', {
      width: 1366,
      height: 860,
      allow4xx: true,
    });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.hall');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '账本与基金' }).click({ timeout: 20_000 });
    const count = page.getByTestId('employees-local');
    await count
      .filter({ hasText: `本社区居民 ${before.localResidents} / ${before.total} 人` })
      .waitFor({ timeout: 15_000 });

    await page.getByTestId('employee-name').fill('王芳');
    await page.getByTestId('employee-job').fill('生鲜区收银');
    await page.getByTestId('employee-started').fill('2026-02-31');
    await page.getByTestId('employee-add').click();
    await page.getByText('入职日期须写成 YYYY-MM-DD').waitFor({ timeout: 10_000 });
    expect((await report()).total).toBe(before.total);

    await page.getByTestId('employee-started').fill('2026-12-01');
    await page.getByTestId('employee-add').click();
    await page.getByRole('cell', { name: '王芳' }).waitFor({ timeout: 10_000 });
    await count
      .filter({
        hasText: `本社区居民 ${before.localResidents + 1} / ${before.total + 1} 人`,
      })
      .waitFor({ timeout: 10_000 });
    const after = await report();
    expect(after.total).toBe(before.total + 1);
    expect(after.employees).toContainEqual(
      expect.objectContaining({
        name: '王芳',
        job: '生鲜区收银',
        localResident: true,
        startedOn: '2026-12-01',
      }),
    );
    await shot(page, 'staff-hall-employees');
    await context.close();
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
