/**
 * Binding a home (issue 12): a family member with no home can use 我的, join by an
 * invitation only a resident of that unit can make (single use, expiring), or ask the
 * community, where only a manager whose places cover the unit can decide.
 */
import { beforeEach, expect, it } from 'vitest';
import { auth, signToken } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { LIMITS } from '../../platform/limits.ts';
import { INVITE } from './household-invite.service.ts';

describeEachDialect('binding a home', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });
  let family: { authorization: string };
  let familyId: string;
  beforeEach(async () => {
    // A family member signs up by SMS like anyone: an account with no role and no home.
    const phone = '13912345678';
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    const s = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/otp/verify',
        payload: { phone, code: t.sms.lastCode(phone) },
      })
    ).json();
    family = { authorization: `Bearer ${s.accessToken}` };
    familyId = s.userId;
  });

  const call = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers: { authorization: string },
    payload?: object,
  ) => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const homesOf = async (h: { authorization: string }) =>
    (await call('GET', '/me/homes', h)).json();

  it('a family member with no home sees an empty list (not a 403), and can find a unit by its name with or without spaces', async () => {
    const r = await call('GET', '/me/homes', family);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ homes: [], requests: [] });
    for (const q of ['清淳家园 2栋1单元', '清淳家园2栋 1单元']) {
      const found = await call('GET', `/me/homes/units?q=${encodeURIComponent(q)}`, family);
      expect(found.statusCode).toBe(200);
      expect(found.json()).toEqual([
        expect.objectContaining({ unitId: w.unitB, label: '清淳家园 2栋1单元' }),
      ]);
    }
    expect(
      (await call('GET', `/me/homes/units?q=${encodeURIComponent('%')}`, family)).json(),
    ).toEqual([]);
  });

  it('only a resident of the unit can invite; the code binds once and then stops working', async () => {
    expect(
      (await call('POST', '/me/homes/invites', auth(w, 'residentA'), { unitId: w.unitB }))
        .statusCode,
    ).toBe(404);
    expect((await call('POST', '/me/homes/invites', family, { unitId: w.unitB })).statusCode).toBe(
      403,
    );
    expect(
      (await call('POST', '/me/homes/invites', auth(w, 'communityWorker1'), { unitId: w.unitB }))
        .statusCode,
    ).toBe(403);
    const inv = await call('POST', '/me/homes/invites', auth(w, 'residentB'), { unitId: w.unitB });
    expect(inv.statusCode).toBe(201);
    const { code, unit } = inv.json();
    expect(code).toMatch(/^\d{8}$/);
    expect(unit).toBe('清淳家园 2栋1单元');
    const stored = await t.database.db.selectFrom('household_invites').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(code);

    const joined = await call('POST', '/me/homes/join', family, { code });
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toMatchObject({ unitId: w.unitB, communityId: w.community1 });
    expect((await homesOf(family)).homes.map((h: { unitId: string }) => h.unitId)).toEqual([
      w.unitB,
    ]);
    // Now a resident: the unit and its directory open.
    expect((await call('GET', `/units/${w.unitB}`, family)).statusCode).toBe(200);
    expect((await call('GET', '/me/directory', family)).statusCode).toBe(200);

    // Single use: a second person cannot reuse it.
    const other = (await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: '13912340000' },
    }),
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/verify',
      payload: { phone: '13912340000', code: t.sms.lastCode('13912340000') },
    })).json();
    const reuse = await call(
      'POST',
      '/me/homes/join',
      { authorization: `Bearer ${other.accessToken}` },
      { code },
    );
    expect(reuse.statusCode).toBe(404);
    expect(reuse.json().error.message).toMatch(/already used or expired/);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('target_id', '=', familyId)
      .execute();
    expect(audit).toContainEqual({ action: 'household.bind', actor_id: w.users.residentB.id });
  });

  it('an invitation expires after 72 hours, and a wrong code says what to do', async () => {
    const { code } = (
      await call('POST', '/me/homes/invites', auth(w, 'residentB'), { unitId: w.unitB })
    ).json();
    t.clock.advance(INVITE.ttlHours * 3600_000 + 1000);
    // The access token has long expired too; the family member signs in again.
    family = { authorization: `Bearer ${await signToken(t, familyId)}` };
    const late = await call('POST', '/me/homes/join', family, { code });
    expect(late.statusCode).toBe(404);
    expect((await homesOf(family)).homes).toEqual([]);
    const wrong = await call('POST', '/me/homes/join', family, { code: '1234' });
    expect(wrong.statusCode).toBe(400);
  });

  it('a code once issued is never issued again (a clash draws a new one)', async () => {
    const random = t.deps.random as { int(max: number): number };
    const real = random.int;
    let draws = 0;
    random.int = (max) => (++draws <= 2 ? 12_345_678 : real(max));
    try {
      const a = (
        await call('POST', '/me/homes/invites', auth(w, 'residentB'), { unitId: w.unitB })
      ).json();
      const b = await call('POST', '/me/homes/invites', auth(w, 'residentA'), { unitId: w.unitA });
      expect(a.code).toBe('12345678');
      expect(b.statusCode).toBe(201);
      expect(b.json().code).not.toBe('12345678');
    } finally {
      random.int = real;
    }
  });

  it('guessing invitation codes is rate-limited per account', async () => {
    let last = 0;
    for (let i = 0; i <= LIMITS.householdCodeTriesPerUser.max; i++)
      last = (await call('POST', '/me/homes/join', family, { code: String(10_000_000 + i) }))
        .statusCode;
    expect(last).toBe(429);
  });

  it('a request is approved only by a manager whose places cover the unit, and binds the asker', async () => {
    const req = await call('POST', '/me/homes/requests', family, {
      unitId: w.unitB,
      relation: '子女',
      note: '照顾父母',
    });
    expect(req.statusCode).toBe(201);
    const id = req.json().requestId;
    expect(
      (await call('POST', '/me/homes/requests', family, { unitId: w.unitB, relation: '子女' }))
        .statusCode,
    ).toBe(409);

    // Queue: community 1's worker sees it with the phone masked; community 2's does not.
    const queue = (await call('GET', '/household-requests', auth(w, 'communityWorker1'))).json();
    expect(queue).toEqual([
      expect.objectContaining({
        requestId: id,
        unit: '清淳家园 2栋1单元',
        asker: { displayName: '居民5678', phone: '139****5678' },
      }),
    ]);
    expect((await call('GET', '/household-requests', auth(w, 'communityWorker2'))).json()).toEqual(
      [],
    );

    // Deciding: other community → 404; residents, grid workers and the asker → 403.
    expect(
      (
        await call('POST', `/household-requests/${id}/decision`, auth(w, 'communityWorker2'), {
          approve: true,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('POST', `/household-requests/${id}/decision`, auth(w, 'residentB'), {
          approve: true,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call('POST', `/household-requests/${id}/decision`, auth(w, 'gridWorker1'), {
          approve: true,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await call('POST', `/household-requests/${id}/decision`, family, { approve: true }))
        .statusCode,
    ).toBe(403);
    expect((await homesOf(family)).homes).toEqual([]);

    const ok = await call(
      'POST',
      `/household-requests/${id}/decision`,
      auth(w, 'communityWorker1'),
      { approve: true },
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('approved');
    expect((await homesOf(family)).homes.map((h: { unitId: string }) => h.unitId)).toEqual([
      w.unitB,
    ]);
    expect(
      (
        await call('POST', `/household-requests/${id}/decision`, auth(w, 'communityWorker1'), {
          approve: false,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('a rejection needs a reason the asker sees; the asker can withdraw a pending request', async () => {
    const id = (
      await call('POST', '/me/homes/requests', family, { unitId: w.unitA, relation: '保姆' })
    ).json().requestId;
    expect(
      (
        await call('POST', `/household-requests/${id}/decision`, auth(w, 'communityWorker1'), {
          approve: false,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', `/household-requests/${id}/decision`, auth(w, 'officer'), {
          approve: false,
          reason: '户主未确认',
        })
      ).statusCode,
    ).toBe(200);
    expect((await homesOf(family)).requests).toEqual([
      expect.objectContaining({ requestId: id, status: 'rejected', reason: '户主未确认' }),
    ]);

    const again = (
      await call('POST', '/me/homes/requests', family, { unitId: w.unitA, relation: '保姆' })
    ).json().requestId;
    expect(
      (await call('DELETE', `/me/homes/requests/${again}`, auth(w, 'residentA'))).statusCode,
    ).toBe(404);
    expect((await call('DELETE', `/me/homes/requests/${again}`, family)).statusCode).toBe(204);
    expect(
      (
        await call('POST', `/household-requests/${again}/decision`, auth(w, 'communityWorker1'), {
          approve: true,
        })
      ).statusCode,
    ).toBe(409);
    expect((await homesOf(family)).homes).toEqual([]);
  });
});
