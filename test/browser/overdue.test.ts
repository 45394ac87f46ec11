/**
 * The overdue move to the hall as the resident sees it (issue 12, item 9), in Chromium:
 * after hall staff take the parcel out of the locker their app says it is on its way to
 * the hall; once shelved (on the hall staff's console), the hall, its address and the
 * slot, with the same code; staff hand it over against that code.
 * Screenshots: docs/screenshots/resident-at-hall.png, staff-hall-shelf.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOverdue } from '../../src/modules/parcels/index.ts';
import { cryptoRandom, iso, systemClock } from '../../src/platform/clock.ts';
import { type DemoWorld, startDemoWorld } from '../demo-world.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';

const L = 'jinquan-0001';
const RESIDENT = '13800000001';
const STAFF = 'qsh.hall';

describe.skipIf(!haveChromium)('overdue move to the hall in the resident app', () => {
  let w: DemoWorld;
  let browser: Browser;
  let resident: Page;
  let staff: Page;
  let compartment = 0;
  let hallId = '';
  let itemId = '';

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startDemoWorld('sqlite', { lockerId: L, captureSms: false });
    const r = await w.api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO5647382910',
      recipientPhone: RESIDENT,
      size: 'S',
    });
    const { parcelId } = r.json();
    compartment = r.json().compartment;
    await until('door open', async () => w.bus.door(compartment) === 'open');
    w.bus.setOccupied(compartment, true);
    w.bus.closeDoor(compartment);
    const db = w.server.database.db;
    await until(
      'stored',
      async () =>
        (
          await db
            .selectFrom('parcels')
            .select('status')
            .where('id', '=', parcelId)
            .executeTakeFirst()
        )?.status === 'stored',
    );
    await db
      .updateTable('parcels')
      .set({ free_until: iso(Date.now() - 60_000) })
      .where('id', '=', parcelId)
      .execute();
    await sweepOverdue({ db, clock: systemClock, random: cryptoRandom });
    ({ hall_id: hallId, id: itemId } = await db
      .selectFrom('hall_shelf_items')
      .select(['hall_id', 'id'])
      .where('parcel_id', '=', parcelId)
      .executeTakeFirstOrThrow());
    browser = await launch();
    ({ page: resident } = await openPage(browser, 'resident-overdue', { width: 375, height: 667 }));
    await resident.goto(`${w.server.httpUrl}/app/resident/`);
    await resident.getByRole('textbox', { name: '手机号', exact: true }).fill(RESIDENT);
    await resident.getByTestId('agree').click(); // the user agreement and privacy notice
    await resident.getByRole('button', { name: '获取验证码' }).click();
    const code = await resident.getByTestId('demo-code').textContent({ timeout: 10_000 });
    await resident.getByRole('textbox', { name: '验证码', exact: true }).fill(code!);
    await resident.getByRole('button', { name: '登录', exact: true }).click();
    await resident.locator('[data-testid=parcel][data-status=stored]').waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('taken out: the card says staff are carrying it to the hall, with the same code', async () => {
    const before = (await resident
      .locator('[data-testid=parcel][data-status=stored] [data-testid=code]')
      .textContent())!.trim();
    expect(
      (await w.api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/retrieve`)).statusCode,
    ).toBe(202);
    await until('door open for staff', async () => w.bus.door(compartment) === 'open');
    w.bus.setOccupied(compartment, false);
    w.bus.closeDoor(compartment);
    await resident.reload();
    const card = resident.locator('[data-testid=parcel][data-status=at_hall]');
    await card.waitFor({ timeout: 15_000 });
    await card.getByTestId('at-hall').filter({ hasText: '工作人员正送往服务馆' }).waitFor();
    expect(await card.textContent()).toContain('清淳家园蚁巢服务馆');
    expect((await card.getByTestId('code').textContent())!.trim()).toBe(before);
  });

  it('hall staff shelve it on their console; the card names the hall, its address and the slot', async () => {
    const { page } = await openPage(browser, 'staff-hall', { width: 1280, height: 800 });
    staff = page;
    await staff.goto(`${w.server.httpUrl}/app/staff/`);
    await staff.getByLabel('账号').fill(STAFF);
    await staff.getByLabel('密码').fill('antnest-demo-2026');
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.getByRole('tab', { name: '逾期转服务馆' }).click({ timeout: 15_000 });
    await staff.getByText('已取出，待上架').waitFor({ timeout: 15_000 });
    await staff.getByRole('textbox', { name: '货架位置' }).fill('A-03');
    await staff.getByRole('button', { name: /上\s*架/ }).click();
    await staff.getByText('在货架').waitFor({ timeout: 10_000 });
    await shot(staff, 'staff-hall-shelf');
    await resident.reload();
    const card = resident.locator('[data-testid=parcel][data-status=at_hall]');
    await card
      .getByTestId('at-hall')
      .filter({ hasText: '货架 A-03，凭同一取件码领取' })
      .waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('清淳家园东门临街商铺');
    expect(await card.textContent()).not.toContain('号格口');
    await shot(resident, 'resident-at-hall');
  });

  it('hall staff hand it over against the same code; the parcel is picked up', async () => {
    const code = (await resident
      .locator('[data-testid=parcel][data-status=at_hall] [data-testid=code]')
      .textContent())!.trim();
    await staff.getByRole('textbox', { name: '取件码' }).fill(code);
    await staff.getByRole('button', { name: /交\s*付/ }).click();
    await staff.getByText('已交付').first().waitFor({ timeout: 10_000 });
    await resident.reload();
    await resident
      .locator('[data-testid=parcel][data-status=picked_up]')
      .waitFor({ timeout: 15_000 });
    expect(consoleErrors).toEqual([]);
  });
});
