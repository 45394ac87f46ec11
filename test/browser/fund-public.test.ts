/**
 * Issue 17 in Chromium: 张阿姨 orders and pays in the resident app's 服务馆 tab → the hall's
 * distribution rule posts 5 % of it to the community development fund in the payment's
 * transaction → the hall kiosk's public fund page (no sign-in) shows that income, and a
 * project payment with its receipt file uploaded by the community office.
 * Screenshots: docs/screenshots/fund-public-kiosk.png, resident-hall-paid.png.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { consoleErrors, haveChromium, openPage, shot } from './browser.ts';
import { type BrowserWorld, useBrowserWorld } from './world.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

describe.skipIf(!haveChromium)('a paid order in the fund’s public page', () => {
  let w: BrowserWorld;
  let browser: Browser;
  useBrowserWorld((world, b) => ((w = world), (browser = b)));

  it('a paid order shows up in the fund’s public page after its distribution', async () => {
    const db = w.server.database.db;
    const places = (await w.api('GET', '/me/workplaces', 'qsh.partner')).json;
    const grant = places.grants.find((g: { role: string }) => g.role === 'partner');
    const hallId: string = grant.scopeId;
    const communityId: string = grant.communityId;
    const fin = await w.api('PUT', `/halls/${hallId}/finance`, 'qsh.worker', {
      rules: [
        { recipient: 'community_fund', appliesTo: 'all', percentBp: 500, minFen: 0, maxFen: null },
      ],
      totalShares: 100,
      payoutBp: 0,
    });
    expect(fin.status, JSON.stringify(fin.json)).toBe(200);
    const publicFund = async () =>
      (await (await fetch(`${w.base}/api/v1/public/communities/${communityId}/fund`)).json()) as {
        balanceFen: number;
      };
    const before = (await publicFund()).balanceFen;

    // 张阿姨 orders fruit in the app and pays (the local provider settles at once).
    const { page: resident } = await openPage(browser, 'resident', {
      width: 375,
      height: 760,
      allow4xx: true,
    });
    await resident.goto(`${w.base}/app/resident/`);
    await resident.getByRole('textbox', { name: '手机号', exact: true }).fill('13800000001');
    await resident.getByTestId('agree').click();
    await resident.getByRole('button', { name: '获取验证码' }).click();
    const code = await resident.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await resident.getByRole('textbox', { name: '验证码', exact: true }).fill(code!);
    await resident.getByRole('button', { name: '登录', exact: true }).click();
    await resident.locator('.adm-tab-bar-item').filter({ hasText: '服务馆' }).click();
    await resident.getByTestId('hall-card').waitFor();
    const item = resident.getByTestId('item-爱媛果冻橙');
    await item.locator('.adm-stepper-plus, button').last().click();
    await resident.getByTestId('checkout').click();
    await resident.getByTestId('pay').click();
    const card = resident.locator('[data-testid^=order-]').first();
    await card.getByText('已支付，备货中').waitFor({ timeout: 10_000 });
    await shot(resident, 'resident-hall-paid');

    const order = await db
      .selectFrom('hall_orders')
      .select(['id', 'total_fen'])
      .where('hall_id', '=', hallId)
      .where('status', '!=', 'awaiting_payment')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const share = Math.floor((order.total_fen * 500) / 10_000);
    expect(share).toBeGreaterThan(0);
    expect((await publicFund()).balanceFen).toBe(before + share);

    // The office pays a project and attaches the receipt image.
    const at = new Date().toISOString();
    await db
      .insertInto('fund_proposals')
      .values({
        id: '01900000-0000-7000-8000-0000000000c1',
        community_id: communityId,
        title: '楼前长椅',
        body: '在1栋前装两张长椅',
        budget_fen: 3000,
        proposed_by: (await w.api('GET', '/me', 'qsh.worker')).json.id,
        proposer_kind: 'office',
        status: 'selected',
        round_id: null,
        votes: 12,
        supports: 0,
        created_at: at,
      })
      .execute();
    const spend = await w.api('POST', `/communities/${communityId}/fund/spends`, 'qsh.worker', {
      proposalId: '01900000-0000-7000-8000-0000000000c1',
      amountFen: 1,
      payee: '金泉五金店',
      receipt: 'FP-2026-0042',
    });
    expect(spend.status, JSON.stringify(spend.json)).toBe(201);
    const login = await fetch(`${w.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'qsh.worker', password: DEMO_PASSWORD }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const up = await fetch(
      `${w.base}/api/v1/communities/${communityId}/fund/spends/${spend.json.spendId}/receipts`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        body: PNG,
      },
    );
    expect(up.status).toBe(201);

    // The kiosk: no sign-in, the fund tab shows the balance, the income and the receipt.
    const { page: kiosk } = await openPage(browser, 'hall-kiosk', { width: 1280, height: 900 });
    await kiosk.goto(`${w.base}/app/hall-kiosk/?hall=${hallId}`);
    await kiosk.getByRole('button', { name: '社区基金' }).click();
    const fund = kiosk.getByTestId('kiosk-fund');
    await fund.waitFor({ timeout: 15_000 });
    expect(await fund.getByTestId('fund-balance').innerText()).toBe(yuan(before + share));
    const income = await fund.getByTestId('fund-income').allInnerTexts();
    expect(income.join('\n')).toContain('服务大厅营业收入分成');
    const payment = fund.getByTestId('fund-payment');
    await payment.getByText('FP-2026-0042').waitFor();
    const img = payment.getByTestId('receipt-file').locator('img');
    await img.waitFor();
    expect(await img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(
      1,
    );
    await shot(kiosk, 'fund-public-kiosk');
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
