/**
 * Pickup from the app at the locker: the screen's rotating QR opens the caller's parcels
 * there (and only theirs, and only while the QR is fresh); a code typed in the app opens
 * its parcel, and wrong codes are throttled per phone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, auth, seedWorld, type World } from '../../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { screenQrText, SCREEN_QR_WINDOW_SECONDS } from '../../../contract/index.ts';
import { deposit } from '../deposit/deposit.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import { openCode } from '../core/pickup-code.ts';
import { WRONG_CODES_PER_PHONE } from './pickup.service.ts';
import { screenKeyFor } from './screen-key.ts';
import { storeParcel } from '../deposit/store.service.ts';

const L = 'pku-0001';
const L2 = 'pku-0002';

describeEachDialect('pickup from the app', (dialect) => {
  let t: TestApp;
  let w: World;
  let waybill = 5000;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    for (const id of [L, L2]) {
      await activeLocker(t, w, id, `取件柜${id}`, 24);
    }
  });
  afterAll(async () => t?.close());

  async function storedFor(lockerId: string, phone: string) {
    const { parcel } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      { lockerId, waybill: `ZTO${waybill++}`, recipientPhone: phone, size: 'S', kind: 'delivery' },
    );
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    return (await parcels.findParcel(t.database.db, parcel.id))!;
  }
  const qrNow = (lockerId: string, at = t.clock.now()) =>
    screenQrText(Buffer.from(screenKeyFor(t.deps.config, lockerId), 'base64url'), lockerId, at);
  const call = (who: Parameters<typeof auth>[1], url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(w, who), payload });

  it("opens every compartment waiting for me in the scanned locker, and nobody else's", async () => {
    const mine1 = await storedFor(L, '13800000001');
    const mine2 = await storedFor(L, '13800000001');
    const elsewhere = await storedFor(L2, '13800000001');
    const theirs = await storedFor(L, '13800000002');
    const r = await call('residentA', '/me/pickups/scan', { qr: qrNow(L) });
    expect(r.statusCode).toBe(202);
    expect(r.json().lockerId).toBe(L);
    const opened = (r.json().opened as { parcelId: string; compartment: number }[])
      .map((o) => o.parcelId)
      .sort();
    expect(opened).toEqual([mine1.id, mine2.id].sort());
    expect(opened).not.toContain(elsewhere.id);
    expect(opened).not.toContain(theirs.id);
    const cmds = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('locker_id', '=', L)
      .where('type', '=', 'open')
      .execute();
    expect(
      cmds
        .filter((c) => JSON.parse(c.body).reason === 'pickup')
        .map((c) => JSON.parse(c.body).compartment)
        .sort(),
    ).toEqual([mine1.compartment, mine2.compartment].sort());
    // Scanning again within the minute is the same commands, not more doors.
    const again = await call('residentA', '/me/pickups/scan', { qr: qrNow(L) });
    expect(
      again
        .json()
        .opened.map((o: { commandId: string }) => o.commandId)
        .sort(),
    ).toEqual(
      r
        .json()
        .opened.map((o: { commandId: string }) => o.commandId)
        .sort(),
    );
    // Someone with nothing there gets a 404 that says so.
    expect((await call('residentC', '/me/pickups/scan', { qr: qrNow(L) })).statusCode).toBe(404);
  });

  it('refuses a stale, forged or foreign QR with a message that says what to do', async () => {
    await storedFor(L, '13800000001');
    const stale = await call('residentA', '/me/pickups/scan', {
      qr: qrNow(L, t.clock.now() - 5 * SCREEN_QR_WINDOW_SECONDS * 1000),
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.message).toMatch(/expired/);
    const forged = qrNow(L).replace(/:[A-Za-z0-9_-]{22}$/, ':AAAAAAAAAAAAAAAAAAAAAA');
    expect((await call('residentA', '/me/pickups/scan', { qr: forged })).statusCode).toBe(400);
    // A QR of L2 relabelled as L does not verify.
    expect(
      (await call('residentA', '/me/pickups/scan', { qr: qrNow(L2).replace(L2, L) })).statusCode,
    ).toBe(400);
    const junk = await call('residentA', '/me/pickups/scan', { qr: 'https://example.com/' });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.message).toMatch(/not a locker screen QR/);
  });

  it('opens a parcel by a code typed in the app, and throttles wrong codes per phone', async () => {
    const p = await storedFor(L2, '13800000002');
    const code = openCode(t.deps.config.secrets.phoneKey, p.code_cipher!);
    // residentB types the right code for their own parcel.
    const ok = await call('residentB', '/me/pickups/code', { lockerId: L2, code });
    expect(ok.statusCode).toBe(202);
    expect(ok.json().opened[0]).toMatchObject({ parcelId: p.id, compartment: p.compartment });
    // residentC guesses: each wrong code is a 400, then the phone is throttled even with the right code.
    for (let i = 0; i < WRONG_CODES_PER_PHONE; i++) {
      const wrong = String((Number(code) + 1 + i) % 1e8).padStart(8, '0');
      expect(
        (await call('residentC', '/me/pickups/code', { lockerId: L, code: wrong })).statusCode,
      ).toBe(400);
    }
    const blocked = await call('residentC', '/me/pickups/code', { lockerId: L2, code });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toMatch(/your phone/);
    expect(
      (await call('residentC', '/me/pickups/code', { lockerId: 'pku-none', code: '12345678' }))
        .statusCode,
    ).toBe(429);
    expect(
      (await call('residentA', '/me/pickups/code', { lockerId: L, code: '1234' })).statusCode,
    ).toBe(400);
  });
});
