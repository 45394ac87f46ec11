/**
 * Issue 17 in Chromium: a paid hall order is split by the hall's rules, the community
 * office closes the month, and the partner (qsh.partner) signs in to the staff console
 * and sees their own dividend — and the fund's share shows on the public fund API.
 * Screenshot: docs/screenshots/staff-partner-statement.png.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { recordSale } from '../../src/modules/ledger/index.ts';
import { consoleErrors, haveChromium, openPage, shot } from './browser.ts';
import { type BrowserWorld, useBrowserWorld } from './world.ts';

describe.skipIf(!haveChromium)('partner statement after a paid order and a month close', () => {
  let w: BrowserWorld;
  let browser: Browser;
  useBrowserWorld((world, b) => ((w = world), (browser = b)));

  it('the partner sees the dividend of a closed month; the fund shows its share', async () => {
    const places = (await w.api('GET', '/me/workplaces', 'qsh.partner')).json;
    const grant = places.grants.find((g: { role: string }) => g.role === 'partner');
    const hallId: string = grant.scopeId;
    const communityId: string = grant.communityId;
    const partnerId: string = (await w.api('GET', '/me', 'qsh.partner')).json.id;
    const fin = await w.api('PUT', `/halls/${hallId}/finance`, 'qsh.worker', {
      rules: [
        {
          recipient: 'community_fund',
          appliesTo: 'service',
          percentBp: 500,
          minFen: 0,
          maxFen: null,
        },
      ],
      totalShares: 100,
      payoutBp: 5000,
    });
    expect(fin.status, JSON.stringify(fin.json)).toBe(200);
    // The demo seeds her agreement (src/demo/finance.ts): 20 of 100 shares since 2026-01-01.
    // A second agreement would double her dividend; the API refuses none, so add none here.
    expect(partnerId).toBeTruthy();
    const fundBefore = (await (
      await fetch(`${w.base}/api/v1/public/communities/${communityId}/fund`)
    ).json()) as { balanceFen: number };
    // Last month's paid service order (the hall module will post these itself).
    const last = new Date();
    last.setUTCDate(1);
    last.setUTCMonth(last.getUTCMonth() - 1);
    const period = last.toISOString().slice(0, 7);
    await w.server.database.db.transaction().execute((trx) =>
      recordSale(
        trx,
        { now: () => Date.now() },
        {
          transferId: 'browser-sale-1',
          hallId,
          orderId: 'browser-order-1',
          amountFen: 100_000,
          kind: 'service',
          at: `${period}-15T04:00:00.000Z`,
        },
      ),
    );
    const close = await w.api('POST', `/halls/${hallId}/closes`, 'qsh.worker', { period });
    expect(close.status, JSON.stringify(close.json)).toBe(201);
    // 100 000 − 5 % = 95 000 profit; half is paid out; 20 of 100 shares → 9 500 fen.
    expect(close.json.dividendsFen).toBe(9_500);
    const fund = await fetch(`${w.base}/api/v1/public/communities/${communityId}/fund`);
    // The demo's own seeded sales already gave the fund its share; this sale adds 5 %.
    expect(((await fund.json()) as { balanceFen: number }).balanceFen).toBe(
      fundBefore.balanceFen + 5_000,
    );

    const { context, page } = await openPage(browser, 'partner', { width: 1366, height: 860 });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.partner');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const card = page.getByTestId('partner-statement');
    await card.waitFor({ timeout: 20_000 });
    await card.getByText('¥95.00').first().waitFor({ timeout: 10_000 });
    expect(await card.innerText()).toContain('20 / 100');
    await shot(page, 'staff-partner-statement');
    await context.close();
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
