/**
 * The hall kiosk: sign-in with the SMS code gives a short session that ends itself; the
 * social-security query answers only about the signed-in resident (no person id is taken
 * in any form); "my grid worker and community police" for the resident's own unit; the
 * hall's public board.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, seedWorld, type World } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { iso, newId, cryptoRandom } from '../../platform/clock.ts';
import { normalizePhone } from '../../platform/crypto/phone.ts';
import { endExpiredKioskSessions, KIOSK_SESSION_SECONDS } from './kiosk.service.ts';
import { upsertRecord } from './social-security.repository.ts';

describeEachDialect('hall kiosk', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    const at = iso(t.clock.now());
    for (const [phone, name, fen] of [
      ['13800000001', '张*姨', 5_000_000],
      ['13800000002', '李*傅', 7_000_000],
    ] as const)
      await upsertRecord(t.database.db, {
        phone_hash: t.deps.vault.hash(normalizePhone(phone)),
        insured_name: name,
        insured_place: '成都市金牛区',
        pension_status: '正常缴费',
        pension_months: 120,
        pension_balance_fen: fen,
        medical_status: '正常参保',
        medical_balance_fen: 12_345,
        last_paid_month: '2026-11',
        updated_at: at,
      });
    await t.database.db
      .insertInto('police_contacts')
      .values({
        id: newId(t.clock, cryptoRandom),
        community_id: w.community1,
        grid_id: w.grid1,
        name: '陈警官',
        title: '社区民警',
        work_phone: '028-87510111',
        created_at: at,
      })
      .execute();
  });
  afterAll(async () => t?.close());

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  const signIn = async (phone: string) => {
    t.clock.advance(61_000); // one code per phone per minute
    expect((await api('POST', '/auth/otp', undefined, { phone })).statusCode).toBe(202);
    const r = await api('POST', '/kiosk/sessions', undefined, {
      hallId: w.hall1,
      phone,
      code: t.sms.lastCode(phone),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as {
      accessToken: string;
      expiresAt: string;
      name: string;
      refreshToken?: string;
    };
  };

  it('signs in with the SMS code: an access token only, ending within the kiosk time', async () => {
    const s = await signIn('13800000001');
    expect(s.name).toBe('residentA');
    expect(s).not.toHaveProperty('refreshToken');
    expect(Date.parse(s.expiresAt) - t.clock.now()).toBe(KIOSK_SESSION_SECONDS * 1000);
    const wrong = await api('POST', '/kiosk/sessions', undefined, {
      hallId: w.hall1,
      phone: '13800000002',
      code: '000000',
    });
    expect(wrong.statusCode).toBe(401);
    const noHall = await api('POST', '/kiosk/sessions', undefined, {
      hallId: '0190f5c2-dead-7000-8000-00000000beef',
      phone: '13800000001',
      code: '123456',
    });
    expect(noHall.statusCode).toBe(400);
    expect(noHall.json().error.message).toMatch(/ask the hall staff/);
  });

  it('the session ends itself: after the kiosk time the job revokes it and the token is refused', async () => {
    const s = await signIn('13800000002');
    expect((await api('GET', '/me/social-security', s.accessToken)).statusCode).toBe(200);
    expect(await endExpiredKioskSessions(t.deps)).toBe(0);
    t.clock.advance(KIOSK_SESSION_SECONDS * 1000 + 1000);
    expect(await endExpiredKioskSessions(t.deps)).toBeGreaterThanOrEqual(1);
    const after = await api('GET', '/me/social-security', s.accessToken);
    expect(after.statusCode).toBe(401);
    // Ending it by hand (退出) works the same way.
    const s2 = await signIn('13800000002');
    expect((await api('DELETE', '/kiosk/sessions/current', s2.accessToken)).statusCode).toBe(204);
    t.clock.advance(6000); // past the session-liveness cache
    expect((await api('GET', '/me/contacts', s2.accessToken)).statusCode).toBe(401);
  });

  it('social security: only the signed-in resident; another resident’s id in any form is refused or ignored', async () => {
    const s = await signIn('13800000001');
    const mine = await api('GET', '/me/social-security', s.accessToken);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      source: 'local-demo',
      statement: { insuredName: '张*姨', pension: { balanceFen: 5_000_000 } },
    });
    const otherId = w.users.residentB.id;
    for (const q of [`?userId=${otherId}`, `?phone=13800000002`, `?id=${otherId}`]) {
      const r = await api('GET', `/me/social-security${q}`, s.accessToken);
      expect(r.statusCode, q).toBe(400);
      expect(r.body).not.toContain('李*傅');
    }
    expect((await api('GET', `/me/social-security/${otherId}`, s.accessToken)).statusCode).toBe(
      404,
    );
    // A header naming someone else changes nothing either.
    const hdr = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/social-security',
      headers: { authorization: `Bearer ${s.accessToken}`, 'x-user-id': otherId },
    });
    expect(hdr.json().statement.insuredName).toBe('张*姨');
    // Someone without a record gets an empty statement, not another person's.
    const c = await api('GET', '/me/social-security', w.users.residentC.token);
    expect(c.json().statement).toBeNull();
    // Staff have no social-security self-query.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me/social-security',
          headers: auth(w, 'communityWorker1'),
        })
      ).statusCode,
    ).toBe(403);
  });

  it('my grid worker and community police: for my own unit, names and published lines only', async () => {
    const s = await signIn('13800000001');
    const r = await api('GET', '/me/contacts', s.accessToken);
    expect(r.statusCode).toBe(200);
    const [unit] = r.json().units;
    expect(unit.grid).toEqual({ name: '第一网格', servicePhone: '028-80000001' });
    expect(unit.gridWorkers).toEqual([{ name: 'gridWorker1' }]);
    expect(unit.police[0]).toMatchObject({
      name: '陈警官',
      workPhone: '028-87510111',
      forMyGrid: true,
    });
    expect(JSON.stringify(r.json())).not.toMatch(/1360000/); // the grid worker's own phone never leaves
    const c = (await api('GET', '/me/contacts', w.users.residentC.token)).json();
    expect(c.units[0].gridWorkers).toEqual([]);
    expect(JSON.stringify(c)).not.toContain('陈警官');
  });

  it('the hall board shows the hall and what is posted for its place, not another community’s', async () => {
    const post = (who: 'communityWorker1' | 'communityWorker2', id: string, title: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/notices',
        headers: auth(w, who),
        payload: { audience: { kind: 'community', id }, title, body: '正文' },
      });
    await post('communityWorker1', w.community1, '一社区告示');
    await post('communityWorker2', w.community2, '二社区告示');
    const r = await api('GET', `/kiosk/halls/${w.hall1}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().hall).toMatchObject({
      name: '清淳家园蚁巢服务馆',
      openingHours: '08:00-21:00',
    });
    const titles = r.json().notices.map((n: { title: string }) => n.title);
    expect(titles).toContain('一社区告示');
    expect(titles).not.toContain('二社区告示');
    expect((await api('GET', '/kiosk/halls/0190f5c2-dead-7000-8000-00000000beef')).statusCode).toBe(
      404,
    );
  });

  it('the hall board shows the counter phone and what the hall sells, never an item taken off sale', async () => {
    const staff = (method: 'PUT' | 'POST' | 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: auth(w, 'hallStaff1'), payload });
    expect(
      (await staff('PUT', `/halls/${w.hall1}/profile`, { phone: '028-87519999', intro: '便民' }))
        .statusCode,
    ).toBe(200);
    const item = async (name: string, category: string, priceFen: number) => {
      const r = await staff('POST', `/halls/${w.hall1}/items`, {
        kind: 'service',
        category,
        name,
        description: '',
        priceFen,
        unit: '次',
      });
      expect(r.statusCode).toBe(201);
      return r.json().id as string;
    };
    await item('家政保洁 2 小时', 'housekeeping', 9000);
    const gone = await item('旧服务', 'housekeeping', 100);
    expect(
      (await staff('PATCH', `/halls/${w.hall1}/items/${gone}`, { active: false })).statusCode,
    ).toBe(200);
    const b = (await api('GET', `/kiosk/halls/${w.hall1}`)).json();
    expect(b.communityId).toBe(w.community1);
    expect(b.services.phone).toBe('028-87519999');
    expect(b.services.items).toEqual([
      expect.objectContaining({ name: '家政保洁 2 小时', priceFen: 9000, unit: '次' }),
    ]);
    expect(b.services.categories.map((c: { code: string }) => c.code)).toEqual(['housekeeping']);
    const other = (await api('GET', `/kiosk/halls/${w.hall2}`)).json();
    expect(other.services).toMatchObject({ phone: null, items: [] });
  });
});
