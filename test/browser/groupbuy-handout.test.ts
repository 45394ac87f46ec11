/**
 * Issue 15 in Chromium, the hall console's hand-out of a group buy: the hall starts a buy of
 * two 箱, 张阿姨 joins for her unit's locker and 李师傅 to collect at the hall, both pay (the
 * local provider settles at once) and the buy is confirmed — all through the API. Hall staff
 * (qsh.hall) open 服务馆 → 团购 in the staff console, open the buy's joins and press 投柜 on
 * the locker join (the simulated hand puts the box in and shuts the door: the parcel is
 * stored) and 已交付 on the pickup join. The screen and the API agree on both, and the screen
 * names units, never a resident's name or phone. Screenshot: docs/screenshots/staff-groupbuy-handout.png.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, RESIDENTS } from '../../src/demo/jinquan.ts';
import { until } from '../harness.ts';
import { consoleErrors, haveChromium, openPage, shot } from './browser.ts';
import { type BrowserWorld, useBrowserWorld } from './world.ts';

const ZHANG = '13800000001'; // 张阿姨, 清淳家园 1栋1单元: the demo locker jinquan-0001 is at her door
const LI = '13800000002'; // 李师傅, 清淳家园 1栋2单元
const TITLE = '春见耙耙柑团购';

interface Join {
  id: string;
  quantity: number;
  fulfilment: 'locker' | 'pickup';
  status: string;
  unit: string;
  handedOverAt: string | null;
  parcel: { id: string; status: string; lockerId: string; compartment: number } | null;
}

describe.skipIf(!haveChromium)('staff console: handing out a confirmed group buy', () => {
  let w: BrowserWorld;
  let browser: Browser;
  useBrowserWorld((world, b) => ((w = world), (browser = b)));

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const r = await fetch(`${w.base}/api/v1${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: (await r.json()) as any };
  };
  /** A resident's access token, signed in by SMS code from the demo inbox. */
  const residentToken = async (phone: string) => {
    expect((await call('POST', '/auth/otp', undefined, { phone })).status).toBeLessThan(300);
    const code = await until(
      `the SMS code for ${phone}`,
      async () =>
        ((await call('GET', `/dev/sms?phone=${phone}`)).json as { text: string }[])[0]?.text.match(
          /\d{6}/,
        )?.[0],
      15_000,
    );
    const r = await call('POST', '/auth/otp/verify', undefined, { phone, code });
    expect(r.status).toBe(200);
    return r.json.accessToken as string;
  };

  it('投柜 stores the locker join’s box in the unit locker, 已交付 hands the pickup join over; units only on screen', async () => {
    const grant = (await w.api('GET', '/me/workplaces', 'qsh.hall')).json.grants.find(
      (g: { role: string }) => g.role === 'hall_staff',
    );
    const hallId: string = grant.scopeId;
    const created = await w.api('POST', `/halls/${hallId}/group-buys`, 'qsh.hall', {
      title: TITLE,
      description: '眉山产地直发，每箱 5 斤；满 2 箱成团。',
      category: 'fruit',
      priceFen: 3900,
      unit: '箱',
      targetQty: 2,
      deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const buyId: string = created.json.id;
    const zhang = await residentToken(ZHANG);
    const li = await residentToken(LI);
    const first = await call('POST', `/me/group-buys/${buyId}/join`, zhang, {
      quantity: 1,
      fulfilment: 'locker',
    });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.status).toBe('open');
    const second = await call('POST', `/me/group-buys/${buyId}/join`, li, {
      quantity: 1,
      fulfilment: 'pickup',
    });
    expect(second.status, JSON.stringify(second.json)).toBe(200);
    expect(second.json.status).toBe('confirmed');
    const joins = async () =>
      (await w.api('GET', `/halls/${hallId}/group-buys/${buyId}/joins`, 'qsh.hall')).json as Join[];
    const before = await joins();
    expect(
      before.map((j) => [j.fulfilment, j.status, j.unit, j.parcel, j.handedOverAt]).sort(),
    ).toEqual([
      ['locker', 'confirmed', '清淳家园 1栋1单元', null, null],
      ['pickup', 'confirmed', '清淳家园 1栋2单元', null, null],
    ]);

    // Hall staff sign in and open the buy's joins.
    const { context, page } = await openPage(browser, 'staff-groupbuy', {
      width: 1366,
      height: 860,
    });
    await page.goto(`${w.base}/app/staff/`);
    await page.getByLabel('账号').fill('qsh.hall');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('tab', { name: '服务馆', exact: true }).click({ timeout: 20_000 });
    await page.getByRole('tab', { name: '团购', exact: true }).click({ timeout: 15_000 });
    const buyRow = page.locator('tr.ant-table-row').filter({ hasText: TITLE });
    await buyRow.getByText('已成团，请备货').waitFor({ timeout: 15_000 });
    expect(await buyRow.innerText()).toContain('2/2');
    await buyRow.locator('.ant-table-row-expand-icon').click();
    const joinRows = page.locator('.ant-table-expanded-row tr.ant-table-row');
    const lockerRow = joinRows.filter({ hasText: '清淳家园 1栋1单元' });
    const pickupRow = joinRows.filter({ hasText: '清淳家园 1栋2单元' });
    await lockerRow.getByText('送到单元智能柜').waitFor({ timeout: 15_000 });
    await pickupRow.getByText('到馆自取').waitFor();
    // A pickup join has no 投柜.
    expect(await pickupRow.getByRole('button', { name: /投\s*柜/ }).count()).toBe(0);

    // 投柜: the box goes into a compartment of the locker at 张阿姨's door.
    await lockerRow.getByRole('button', { name: /投\s*柜/ }).click();
    await lockerRow.getByText(/已投柜 · jinquan-0001 #\d+/).waitFor({ timeout: 30_000 });
    const deposited = (await joins()).find((j) => j.fulfilment === 'locker')!;
    expect(deposited.parcel).toMatchObject({ lockerId: w.lockerId });
    const compartment = deposited.parcel!.compartment;
    expect(await lockerRow.innerText()).toContain(`已投柜 · ${w.lockerId} #${compartment}`);
    // The simulated hand puts the box in and shuts the door: the parcel is stored.
    await until('the compartment open', async () => w.bus.door(compartment) === 'open', 20_000);
    w.bus.setOccupied(compartment, true);
    w.bus.closeDoor(compartment);
    const stored = await until(
      'the parcel stored',
      async () => (await joins()).find((j) => j.parcel?.status === 'stored'),
      20_000,
    );
    expect(stored.id).toBe(deposited.id);
    expect(stored.handedOverAt).toBeNull();
    const parcel = await w.server.database.db
      .selectFrom('parcels')
      .select(['status', 'locker_id', 'compartment'])
      .where('id', '=', stored.parcel!.id)
      .executeTakeFirstOrThrow();
    expect(parcel).toEqual({ status: 'stored', locker_id: w.lockerId, compartment });
    expect(await lockerRow.getByRole('button').count()).toBe(0);

    // 已交付: the pickup join is handed over at the counter.
    await pickupRow.getByRole('button', { name: /已\s*交\s*付/ }).click();
    await pickupRow.getByText(/已交付 · /).waitFor({ timeout: 15_000 });
    expect(await pickupRow.getByRole('button').count()).toBe(0);
    const after = await joins();
    const handed = after.find((j) => j.fulfilment === 'pickup')!;
    expect(handed.handedOverAt).not.toBeNull();
    expect(handed.parcel).toBeNull();
    expect(after.find((j) => j.fulfilment === 'locker')!.handedOverAt).toBeNull();
    await shot(page, 'staff-groupbuy-handout');

    // The screen names units, never who: no resident's name or phone, whole or masked.
    const text = await page.locator('body').innerText();
    for (const r of RESIDENTS) {
      expect(text).not.toContain(r.displayName);
      expect(text).not.toContain(r.phone);
      expect(text).not.toContain(`${r.phone.slice(0, 3)}****${r.phone.slice(-4)}`);
    }
    expect(text).not.toMatch(/1\d{2}\*{4}\d{4}|1[3-9]\d{9}/);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
