/** Delivery consent over HTTP: preferences, the courier's view, the ask-first flow, aliases (ADR 0009). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, signToken, type World, type WorldUser } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { demoLayout } from '../../../demo/lockers.ts';
import { iso } from '../../../platform/clock.ts';
import { checkAlias } from './alias.service.ts';
import { consentStatus, CONSENT_TTL_MS, LOOKUPS_PER_COURIER_PER_HOUR } from './consent.service.ts';

const FAKE_ID = '0190f5c2-dead-7000-8000-00000000beef';
const LOCKER = 'qsh-b01-u1';
const WAYBILL = 'ZT7301234567890';

describeEachDialect('delivery consent', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeEach(async () => {
    ({ t, w } = await openWorld(dialect));
    // These tests start from residents who never chose (the world gives them standing consent).
    await t.database.db.deleteFrom('delivery_preferences').execute();
    const r = await call('communityWorker1', 'POST', `/locker-sites/${w.siteA}/lockers`, {
      id: LOCKER,
      name: '1栋1单元智能柜',
      compartments: demoLayout(4),
    });
    expect(r.statusCode).toBe(201);
  });
  afterEach(async () => t.close());

  type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  function call(
    who: WorldUser | { authorization: string },
    method: Method,
    url: string,
    payload?: unknown,
  ) {
    const headers = typeof who === 'string' ? auth(w, who) : who;
    return t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }
  const ask = (
    payload: object = { recipientPhone: '13800000001', lockerId: LOCKER, waybill: WAYBILL },
  ) => call('courier', 'POST', '/couriers/consent-requests', payload);
  /** Move time on; access tokens live 15 minutes, so sign everyone in again. */
  async function advance(ms: number) {
    t.clock.advance(ms);
    for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
  }
  const pending = async (who: WorldUser) =>
    (await call(who, 'GET', '/me/consent-requests?status=pending')).json() as { id: string }[];

  it('saves and reads back preferences; one default row per user', async () => {
    const empty = await call('residentA', 'GET', '/me/delivery-preferences');
    expect(empty.json()).toEqual({ defaultMode: 'ask_first', perCarrier: [], updatedAt: null });

    const put = await call('residentA', 'PUT', '/me/delivery-preferences', {
      defaultMode: 'locker',
      perCarrier: [{ carrierId: w.carrier, mode: 'ask_first' }],
    });
    expect(put.statusCode).toBe(200);
    const saved = {
      defaultMode: 'locker',
      perCarrier: [{ carrierId: w.carrier, carrierName: '中通快递', mode: 'ask_first' }],
      updatedAt: iso(t.clock.now()),
    };
    expect(put.json()).toEqual(saved);
    expect((await call('residentA', 'GET', '/me/delivery-preferences')).json()).toEqual(saved);

    t.clock.advance(60_000);
    expect(
      (await call('residentA', 'PUT', '/me/delivery-preferences', { defaultMode: 'hall' })).json(),
    ).toMatchObject({ defaultMode: 'hall', perCarrier: [] });
    const rows = await t.database.db
      .selectFrom('delivery_preferences')
      .selectAll()
      .where('user_id', '=', w.users.residentA.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ carrier_id: '*', mode: 'hall', community_id: w.community1 });
    // Someone else's preferences are their own.
    expect((await call('residentB', 'GET', '/me/delivery-preferences')).json().defaultMode).toBe(
      'ask_first',
    );
  });

  it('refuses unknown carriers, duplicates, unknown fields and wrong types without a 500', async () => {
    const put = (body: unknown) => call('residentA', 'PUT', '/me/delivery-preferences', body);
    expect(
      (await put({ defaultMode: 'locker', perCarrier: [{ carrierId: FAKE_ID, mode: 'door' }] }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await put({
          defaultMode: 'locker',
          perCarrier: [
            { carrierId: w.carrier, mode: 'door' },
            { carrierId: w.carrier, mode: 'hall' },
          ],
        })
      ).statusCode,
    ).toBe(400);
    for (const body of [
      { defaultMode: 'locker', surprise: 1 },
      { defaultMode: 'sky' },
      { defaultMode: 7 },
      { defaultMode: 'locker', perCarrier: 'zto' },
      { defaultMode: 'locker', perCarrier: [{ carrierId: 'zto', mode: 'door' }] },
      {},
    ]) {
      const r = await put(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('validation_failed');
    }
    expect(await t.database.db.selectFrom('delivery_preferences').selectAll().execute()).toEqual(
      [],
    );
    for (const url of [
      '/me/consent-requests?status=bogus',
      '/me/consent-requests?limit=0',
      '/me/consent-requests?extra=1',
    ])
      expect((await call('residentA', 'GET', url)).statusCode, url).toBe(400);
    const decide = (id: string, body: unknown) =>
      call('residentA', 'POST', `/me/consent-requests/${id}/decision`, body);
    expect((await decide('not-an-id', { accept: true })).statusCode).toBe(400);
    expect((await decide(FAKE_ID, { accept: 'yes' })).statusCode).toBe(400);
    expect((await decide(FAKE_ID, { accept: true, why: 'x' })).statusCode).toBe(400);
    expect((await decide(FAKE_ID, { accept: true })).statusCode).toBe(404);
    expect(
      (await ask({ recipientPhone: '12345', lockerId: LOCKER, waybill: WAYBILL })).statusCode,
    ).toBe(400);
    expect(
      (await ask({ recipientPhone: '13800000001', lockerId: 'no-such-locker', waybill: WAYBILL }))
        .statusCode,
    ).toBe(404);
    expect(
      (await ask({ recipientPhone: '13800000001', lockerId: LOCKER, waybill: '---' })).statusCode,
    ).toBe(400);
    expect(
      (await ask({ recipientPhone: '13800000001', lockerId: LOCKER, waybill: '----' })).statusCode,
    ).toBe(400);
    expect((await call('courier', 'GET', '/couriers/consent-requests/nope')).statusCode).toBe(400);
  });

  it('shows the courier the mode for their carrier and the alias, never the phone, the flat or the account', async () => {
    await call('residentA', 'PUT', '/me/delivery-preferences', {
      defaultMode: 'locker',
      perCarrier: [{ carrierId: w.carrier, mode: 'door' }],
    });
    expect(
      (await call('residentA', 'PUT', '/me/address-alias', { text: ' 清淳家园  1栋1单元 蚁巢柜 ' }))
        .statusCode,
    ).toBe(200);

    const r = await call('courier', 'POST', '/couriers/recipient-preference', {
      recipientPhone: '+86 138-0000-0001',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ mode: 'door', alias: '清淳家园 1栋1单元 蚁巢柜', hasAccount: true });
    for (const secret of ['13800000001', '0001', w.unitA, w.buildingA, w.users.residentA.id])
      expect(r.body).not.toContain(secret);

    expect(
      (
        await call('courier', 'POST', '/couriers/recipient-preference', {
          recipientPhone: '13800000002',
        })
      ).json(),
    ).toEqual({ mode: 'ask_first', alias: null, hasAccount: true });
    expect(
      (
        await call('courier', 'POST', '/couriers/recipient-preference', {
          recipientPhone: '13512345678',
        })
      ).json(),
    ).toEqual({ mode: 'unknown', alias: null, hasAccount: false });
    expect(
      (
        await call('courier', 'POST', '/couriers/recipient-preference', {
          recipientPhone: '13800000001',
          carrierId: FAKE_ID,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call('residentB', 'POST', '/couriers/recipient-preference', {
          recipientPhone: '13800000001',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('rate-limits recipient look-ups per courier, then lets them through in the next window', async () => {
    for (let i = 0; i < LOOKUPS_PER_COURIER_PER_HOUR; i++) {
      expect(
        (
          await call('courier', 'POST', '/couriers/recipient-preference', {
            recipientPhone: `135000${String(i).padStart(5, '0')}`,
          })
        ).statusCode,
      ).toBe(200);
    }
    const limited = await call('courier', 'POST', '/couriers/recipient-preference', {
      recipientPhone: '13800000001',
    });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ask()).statusCode).toBe(429);
    await advance(3600_000);
    expect(
      (
        await call('courier', 'POST', '/couriers/recipient-preference', {
          recipientPhone: '13800000001',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('ask first: the courier asks, the resident sees it pending and accepts, the courier sees the answer and its time', async () => {
    const created = await ask();
    expect(created.statusCode).toBe(201);
    const req = created.json();
    expect(req).toEqual({
      id: expect.any(String),
      status: 'pending',
      lockerId: LOCKER,
      waybillTail: '7890',
      createdAt: iso(t.clock.now()),
      expiresAt: iso(t.clock.now() + CONSENT_TTL_MS),
      decidedAt: null,
    });
    expect((await ask()).json().id).toBe(req.id);

    const list = await call('residentA', 'GET', '/me/consent-requests?status=pending');
    expect(list.json()).toEqual([
      {
        id: req.id,
        carrierId: w.carrier,
        carrierName: '中通快递',
        lockerId: LOCKER,
        lockerName: '1栋1单元智能柜',
        waybillTail: '7890',
        status: 'pending',
        createdAt: req.createdAt,
        expiresAt: req.expiresAt,
        decidedAt: null,
      },
    ]);
    expect(list.body).not.toContain(WAYBILL);

    t.clock.advance(5 * 60_000);
    const decided = await call('residentA', 'POST', `/me/consent-requests/${req.id}/decision`, {
      accept: true,
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      id: req.id,
      status: 'accepted',
      decidedAt: iso(t.clock.now()),
    });

    const seen = await call('courier', 'GET', `/couriers/consent-requests/${req.id}`);
    expect(seen.json()).toMatchObject({
      id: req.id,
      status: 'accepted',
      decidedAt: iso(t.clock.now()),
    });
    expect(await pending('residentA')).toEqual([]);
    expect(
      (await call('residentA', 'GET', '/me/consent-requests?status=accepted'))
        .json()
        .map((r: { id: string }) => r.id),
    ).toEqual([req.id]);
    expect(await consentStatus(t.database.db, t.deps, req.id)).toMatchObject({
      status: 'accepted',
      recipientUserId: w.users.residentA.id,
      carrierId: w.carrier,
      communityId: w.community1,
    });
    expect(await consentStatus(t.database.db, t.deps, FAKE_ID)).toBeNull();
  });

  it('only the recipient sees and answers a request, only the asking courier reads it', async () => {
    const id = (await ask()).json().id as string;
    expect(await pending('residentB')).toEqual([]);
    expect((await call('residentB', 'GET', '/me/consent-requests')).json()).toEqual([]);
    const other = await call('residentB', 'POST', `/me/consent-requests/${id}/decision`, {
      accept: true,
    });
    expect(other.statusCode).toBe(404);
    expect(
      (
        await call('communityWorker1', 'POST', `/me/consent-requests/${id}/decision`, {
          accept: false,
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('residentA', 'GET', `/couriers/consent-requests/${id}`)).statusCode).toBe(
      403,
    );

    const colleague = await call('admin', 'POST', '/users', {
      displayName: '中通 小王',
      phone: '13900000099',
      grant: { role: 'courier', scopeKind: 'carrier', scopeId: w.carrier },
    });
    expect(colleague.statusCode).toBe(201);
    const token = await signToken(t, colleague.json().id);
    expect(
      (await call({ authorization: `Bearer ${token}` }, 'GET', `/couriers/consent-requests/${id}`))
        .statusCode,
    ).toBe(404);
    expect((await pending('residentA')).map((r) => r.id)).toEqual([id]);
  });

  it('an answer is final: deciding twice is a 409', async () => {
    const id = (await ask()).json().id as string;
    expect(
      (
        await call('residentA', 'POST', `/me/consent-requests/${id}/decision`, { accept: false })
      ).json().status,
    ).toBe('declined');
    const again = await call('residentA', 'POST', `/me/consent-requests/${id}/decision`, {
      accept: true,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already declined/);
    expect((await call('courier', 'GET', `/couriers/consent-requests/${id}`)).json().status).toBe(
      'declined',
    );
  });

  it('after two hours the request has expired: answering it is a 409 and it is marked expired', async () => {
    const id = (await ask()).json().id as string;
    await advance(CONSENT_TTL_MS);
    expect(await pending('residentA')).toEqual([]);
    expect((await call('courier', 'GET', `/couriers/consent-requests/${id}`)).json().status).toBe(
      'expired',
    );
    const late = await call('residentA', 'POST', `/me/consent-requests/${id}/decision`, {
      accept: true,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/expired/);
    const row = await t.database.db
      .selectFrom('consent_requests')
      .select(['status', 'decided_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'expired', decided_at: null });
    expect(
      (await call('residentA', 'GET', '/me/consent-requests?status=expired'))
        .json()
        .map((r: { id: string }) => r.id),
    ).toEqual([id]);
    // A fresh ask for the same parcel is a new request.
    expect((await ask()).json().id).not.toBe(id);
  });

  it('a recipient without an account cannot be asked in the app: the courier is told to call or text', async () => {
    const r = await ask({ recipientPhone: '13512345678', lockerId: LOCKER, waybill: WAYBILL });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/call or text/);
    expect(await t.database.db.selectFrom('consent_requests').selectAll().execute()).toEqual([]);
  });

  it('sets, reads and removes an address alias; a flat number is refused', async () => {
    expect((await call('residentA', 'GET', '/me/address-alias')).json()).toEqual({
      text: null,
      updatedAt: null,
    });
    const set = await call('residentA', 'PUT', '/me/address-alias', {
      text: '清淳家园 1栋1单元 蚁巢柜',
    });
    expect(set.json()).toEqual({ text: '清淳家园 1栋1单元 蚁巢柜', updatedAt: iso(t.clock.now()) });
    expect((await call('residentA', 'GET', '/me/address-alias')).json().text).toBe(
      '清淳家园 1栋1单元 蚁巢柜',
    );

    const flat = await call('residentA', 'PUT', '/me/address-alias', {
      text: '清淳家园 1栋1单元 1502',
    });
    expect(flat.statusCode).toBe(400);
    expect(flat.json().error.message).toContain('门牌号');
    expect(flat.json().error.message).toContain('flat number');
    expect((await call('residentA', 'PUT', '/me/address-alias', { text: 'x' })).statusCode).toBe(
      400,
    );
    expect(
      (await call('residentA', 'PUT', '/me/address-alias', { text: '清淳家园', unit: 'A' }))
        .statusCode,
    ).toBe(400);
    expect((await call('residentA', 'GET', '/me/address-alias')).json().text).toBe(
      '清淳家园 1栋1单元 蚁巢柜',
    );

    expect(
      (await call('courier', 'PUT', '/me/address-alias', { text: '清淳家园 1栋1单元 蚁巢柜' }))
        .statusCode,
    ).toBe(403);
    expect((await call('residentA', 'DELETE', '/me/address-alias')).statusCode).toBe(204);
    expect((await call('residentA', 'DELETE', '/me/address-alias')).statusCode).toBe(204);
    expect((await call('residentA', 'GET', '/me/address-alias')).json()).toEqual({
      text: null,
      updatedAt: null,
    });
  });
});

describe('checkAlias', () => {
  it.each([
    '清淳家园 1栋1单元 1502',
    '3-2-1',
    '3 - 2 - 15',
    '1栋1单元1502室',
    '1单元 15楼 2房',
    '二号楼 三单元 ５０２',
    '1栋 12层',
    '12F 蚁巢柜',
    'Room 5, Block 3',
    '302',
    '一单元 301户',
    '1栋1单元15楼2号',
    '1栋1单元 15-02',
    '十五层二号',
    '3栋 二楼 2号',
  ])('refuses %s', (text) => {
    expect(() => checkAlias(text)).toThrow(/flat number/);
  });
  it.each([
    ['清淳家园 3栋2单元 蚁巢柜', '清淳家园 3栋2单元 蚁巢柜'],
    ['  两河锦地  10号楼 ', '两河锦地 10号楼'],
    ['Block 3 Unit 2 locker', 'Block 3 Unit 2 locker'],
    ['清淳家园 3号楼2单元 2号柜', '清淳家园 3号楼2单元 2号柜'],
    ['两河锦地 3幢1单元 东门', '两河锦地 3幢1单元 东门'],
  ])('accepts %s', (text, saved) => {
    expect(checkAlias(text)).toBe(saved);
  });
  it('counts characters, not bytes', () => {
    expect(() => checkAlias(' 柜 ')).toThrow(/2–60/);
    expect(checkAlias('蚁'.repeat(60))).toHaveLength(60);
    expect(() => checkAlias('蚁'.repeat(61))).toThrow(/2–60/);
  });
});
