/**
 * The overdue move to the hall as the resident sees it (issue 12, item 9), in Chromium:
 * after hall staff take the parcel out of the locker their app says it is on its way to
 * the hall; once shelved, the hall, its address and the slot, with the same code.
 * Screenshot: docs/screenshots/resident-at-hall.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOverdue } from '../../src/modules/parcels/overdue.service.ts';
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
  let compartment = 0;
  let hallId = '';
  let itemId = '';

  beforeAll(async () => {
    ensureWebBuilt();
    w = await startDemoWorld('sqlite', { lockerId: L, captureSms: false });
    const r = await w.api('courier.zto', 'POST', `/lockers/${L}/deposits`, { waybill: 'ZTO5647382910', recipientPhone: RESIDENT, size: 'S' });
    const { parcelId } = r.json();
    compartment = r.json().compartment;
    await until('door open', async () => w.bus.door(compartment) === 'open');
    w.bus.setOccupied(compartment, true);
    w.bus.closeDoor(compartment);
    const db = w.server.database.db;
    await until('stored', async () => (await db.selectFrom('parcels').select('status').where('id', '=', parcelId).executeTakeFirst())?.status === 'stored');
    await db.updateTable('parcels').set({ free_until: iso(Date.now() - 60_000) }).where('id', '=', parcelId).execute();
    await sweepOverdue({ db, clock: systemClock, random: cryptoRandom });
    ({ hall_id: hallId, id: itemId } = await db.selectFrom('hall_shelf_items').select(['hall_id', 'id']).where('parcel_id', '=', parcelId).executeTakeFirstOrThrow());
    browser = await launch();
    ({ page: resident } = await openPage(browser, 'resident-overdue', { width: 375, height: 667 }));
    await resident.goto(`${w.server.httpUrl}/app/resident/`);
    await resident.getByRole('textbox', { name: '手机号', exact: true }).fill(RESIDENT);
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
    const before = (await resident.locator('[data-testid=parcel][data-status=stored] [data-testid=code]').textContent())!.trim();
    expect((await w.api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/retrieve`)).statusCode).toBe(202);
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

  it('shelved: the card names the hall, its address and the slot', async () => {
    expect((await w.api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/shelve`, { slot: 'A-03' })).statusCode).toBe(200);
    await resident.reload();
    const card = resident.locator('[data-testid=parcel][data-status=at_hall]');
    await card.getByTestId('at-hall').filter({ hasText: '货架 A-03，凭同一取件码领取' }).waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('清淳家园东门临街商铺');
    expect(await card.textContent()).not.toContain('号格口');
    await shot(resident, 'resident-at-hall');
    expect(consoleErrors).toEqual([]);
  });
});
