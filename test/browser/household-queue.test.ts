/**
 * The staff console's queue of home-binding requests (住户绑定申请), in Chromium against the
 * demo world: a family member with no home asks the community to bind them to a unit (through
 * the API, as the resident app does); the community worker (qsh.worker) opens the tab, sees
 * the request with the unit named as a place and the asker's masked phone; 拒绝 without a
 * reason shows the form's message (no request, no error pop-up); 同意 removes the row and the
 * family member now has the home. No console errors. Screenshot: docs/screenshots/staff-household-requests.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';
import { type BrowserWorld, startBrowserWorld } from './world.ts';

const FAMILY = '13912345678';
const UNIT = '清淳家园 2栋1单元';

describe.skipIf(!haveChromium)('staff console: the community decides home-binding requests', () => {
  let w: BrowserWorld;
  let browser: Browser;
  let family = '';
  beforeAll(async () => {
    ensureWebBuilt();
    w = await startBrowserWorld();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  /** Call the node over HTTP as the family member (signed in by SMS code from the demo inbox). */
  const asFamily = async (
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }> => {
    const r = await fetch(`${w.base}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${family}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: r.status === 204 ? null : await r.json() };
  };

  it('the community worker sees the request by place, must give a reason to reject, and approving binds the home', async () => {
    // A family member signs up by SMS (an account with no role, no home) and asks for a unit by its name.
    const post = (url: string, body: unknown) =>
      fetch(`${w.base}/api/v1${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/otp', { phone: FAMILY })).status).toBeLessThan(300);
    const code = await until('the SMS code', async () => {
      const inbox = (await (await fetch(`${w.base}/api/v1/dev/sms?phone=${FAMILY}`)).json()) as {
        text: string;
      }[];
      return inbox[0]?.text.match(/\d{6}/)?.[0];
    });
    family = (
      (await (await post('/auth/otp/verify', { phone: FAMILY, code })).json()) as {
        accessToken: string;
      }
    ).accessToken;
    expect((await asFamily('GET', '/me/homes')).json.homes).toEqual([]);
    const units = await asFamily('GET', `/me/homes/units?q=${encodeURIComponent(UNIT)}`);
    const unitId = units.json.find((u: { label: string }) => u.label === UNIT).unitId as string;
    const asked = await asFamily('POST', '/me/homes/requests', {
      unitId,
      relation: '子女',
      note: '照顾父母',
    });
    expect(asked.status, JSON.stringify(asked.json)).toBe(201);

    // The community worker signs in and opens 住户绑定申请.
    const { context, page } = await openPage(browser, 'staff-household', {
      width: 1366,
      height: 860,
    });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.worker');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '住户绑定申请' }).click();
    const row = page.getByTestId('household-request').filter({ hasText: UNIT });
    await row.waitFor({ timeout: 15_000 });
    const text = await row.innerText();
    expect(text).toContain(`清水河社区 · ${UNIT}`);
    expect(text).toContain('子女');
    expect(text).toContain('照顾父母');
    expect(text).toMatch(/139\*{4}5678/); // the asker's phone, masked
    expect(text).not.toContain(FAMILY);
    await page.waitForTimeout(400); // let the buttons' enter animation finish before the screenshot
    await shot(page, 'staff-household-requests');

    // 拒绝 without a reason: the form says what is missing; nothing is sent, no error pop-up.
    await row.getByRole('button', { name: /拒\s*绝/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '拒绝绑定申请' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /拒\s*绝/ }).click();
    await dialog.getByText('请填写拒绝原因').waitFor();
    expect(await page.locator('.ant-message-error').count()).toBe(0);
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await asFamily('GET', '/me/homes')).json.requests).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);

    // 同意: the row leaves the list and the family member now has the home.
    await row.getByRole('button', { name: /同\s*意/ }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByText('没有待处理的住户绑定申请').waitFor();
    const homes = (await asFamily('GET', '/me/homes')).json;
    expect(homes.homes.map((h: { label: string }) => h.label)).toEqual([UNIT]);
    expect(homes.requests).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(consoleErrors.filter((e) => e.startsWith('staff-household:'))).toEqual([]);
    await context.close();
  });
});
