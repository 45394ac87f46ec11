/**
 * The locker screen (kiosk app served by a real agent) in Chromium, issue 12 item 10:
 * the header names the place, not the machine id; a wrong code online says how many
 * tries are left; a run of wrong codes slows and then locks the keypad with the time on
 * screen, while a pickup from the app still opens the door; offline both QR codes (app
 * pickup, courier sign-in) are hidden. Screenshots: docs/screenshots/kiosk-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../demo-world.ts';
import { until } from '../harness.ts';
import { consoleErrors, ensureWebBuilt, haveChromium, launch, openPage, shot } from './browser.ts';

const L = 'jinquan-0001';
const RESIDENT = '13800000001';

describe.skipIf(!haveChromium)('locker screen in Chromium', () => {
  let w: DemoWorld;
  let browser: Browser;
  let kiosk: Page;
  let parcelId = '';
  let compartment = 0;
  let code = '';

  beforeAll(async () => {
    ensureWebBuilt();
    // A short curve so the test sees every stage: 1 free wrong code, a 5 s slowdown, then the lock.
    w = await startDemoWorld('sqlite', {
      lockerId: L,
      screen: true,
      agent: { reconnectPeriodMs: 200, settings: { wrongCodeLimit: 3, lockoutSeconds: 60 } },
    });
    await w.signInByPhone(RESIDENT);
    const r = await w.api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO1029384756',
      recipientPhone: RESIDENT,
      size: 'S',
    });
    ({ parcelId, compartment } = r.json());
    await until('door open', async () => w.bus.door(compartment) === 'open');
    w.bus.setOccupied(compartment, true);
    w.bus.closeDoor(compartment);
    await w.server.parcels.idle();
    code = (await until('code', async () =>
      w.sms.find((m) => m.to === RESIDENT && m.text.includes('取件码')),
    ))!.text.match(/取件码 (\d{8})/)![1]!;
    browser = await launch();
    ({ page: kiosk } = await openPage(browser, 'kiosk-screen', {
      width: 540,
      height: 960,
      scale: 2,
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  const typeCode = async (c: string) => {
    for (const d of c) await kiosk.getByRole('button', { name: `数字 ${d}`, exact: true }).click();
    await kiosk.getByRole('button', { name: '确认取件' }).click();
  };
  const wrong = (n: number) =>
    String((Number(code) + 1_000_000 * (n + 1)) % 100_000_000).padStart(8, '0');

  it('names the place in the header (not the machine id) and shows the app-pickup QR while online', async () => {
    await kiosk.goto(w.agent.screenUrl!);
    await kiosk.getByTestId('net').filter({ hasText: '在线' }).waitFor();
    const place = kiosk.getByTestId('place');
    await place.filter({ hasText: '清淳家园' }).waitFor({ timeout: 15_000 });
    expect(await place.textContent()).not.toContain(L);
    expect(await kiosk.locator('header').textContent()).not.toContain(L);
    await kiosk.getByTestId('pickup-qr').waitFor({ timeout: 15_000 });
  });

  it('online, a wrong code says how many tries are left; the next one slows the keypad with the wait on screen', async () => {
    await typeCode(wrong(1));
    await kiosk
      .getByTestId('feedback')
      .filter({ hasText: '取件码不正确，还可尝试 2 次' })
      .waitFor({ timeout: 15_000 });
    await shot(kiosk, 'kiosk-tries-left');
    await typeCode(wrong(2));
    await kiosk
      .getByTestId('feedback')
      .filter({ hasText: '还可尝试 1 次' })
      .waitFor({ timeout: 15_000 });
    await kiosk.locator('[data-testid=keypad-held][data-state=slowed]').waitFor({ timeout: 5_000 });
    expect(await kiosk.getByTestId('keypad-held').textContent()).toMatch(/请 \d 秒后再输入取件码/);
    await kiosk.getByTestId('keypad-held').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('the third wrong code locks the keypad (time on screen) — and the resident can still open from the app', async () => {
    await typeCode(wrong(3));
    const banner = kiosk.locator('[data-testid=keypad-held][data-state=locked]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/键盘已锁定，(\d+ 分 \d{2} 秒|\d+ 秒)后可再输入/);
    expect(await banner.textContent()).toContain('App 远程开柜或扫码取件不受影响');
    expect(await kiosk.getByRole('button', { name: '确认取件' }).isDisabled()).toBe(true);
    await shot(kiosk, 'kiosk-locked');
    // The agent refuses the right code too while locked…
    expect(await w.agent.enterCode(code)).toMatchObject({ result: 'locked', keypad: 'locked' });
    // …but the app's remote open goes through the cloud and opens the door.
    const relays = w.bus.relayCount(compartment);
    const open = await w.api(RESIDENT, 'POST', `/me/parcels/${parcelId}/open`);
    expect(open.statusCode).toBeLessThan(300);
    await until('door open from the app', async () => w.bus.door(compartment) === 'open');
    expect(w.bus.relayCount(compartment)).toBe(relays + 1);
    await until(
      'picked up',
      async () =>
        (await w.api(RESIDENT, 'GET', `/me/parcels/${parcelId}`)).json().status === 'picked_up',
    );
    w.bus.setOccupied(compartment, false);
    w.bus.closeDoor(compartment);
  });

  it('offline, neither QR is shown: not the app-pickup one, not the courier sign-in one', async () => {
    await w.stopCloud();
    await kiosk.getByTestId('net').filter({ hasText: '离线' }).waitFor({ timeout: 15_000 });
    await kiosk.getByTestId('pickup-qr').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await kiosk.getByTestId('place').textContent()).toContain('清淳家园');
    await kiosk.getByRole('button', { name: '快递员投递' }).click();
    await kiosk.getByRole('status').filter({ hasText: '柜机离线，暂不能投递' }).waitFor();
    expect(await kiosk.getByTestId('courier-qr').count()).toBe(0);
    expect(await kiosk.locator('body').textContent()).not.toMatch(/antnest:pickup/);
    await shot(kiosk, 'kiosk-courier-offline');
    expect(consoleErrors).toEqual([]);
  });
});
