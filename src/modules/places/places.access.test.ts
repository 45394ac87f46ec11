/** Who may read and change which places: role checks answer 403, scope checks 404. */
import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import { auth, signToken, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';

describeEachDialect('places access', (dialect) => {
  const { t, w } = useWorld(dialect);

  const call = (
    who: WorldUser | null,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? auth(w, who) : {},
      ...(payload ? { payload } : {}),
    });

  const expectStatus = async (
    who: WorldUser | null,
    method: InjectOptions['method'],
    url: string,
    status: number,
    payload?: object,
  ) => {
    const res = await call(who, method, url, payload);
    expect({ who, method, url, status: res.statusCode }).toEqual({ who, method, url, status });
    return res;
  };

  it('keeps a community worker of community 2 out of community 1 (404, nothing created)', async () => {
    const before = await t.database.db
      .selectFrom('compounds')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await expectStatus('communityWorker2', 'GET', `/communities/${w.community1}`, 404);
    await expectStatus('communityWorker2', 'GET', `/communities/${w.community1}/compounds`, 404);
    await expectStatus('communityWorker2', 'GET', `/units/${w.unitA}`, 404);
    await expectStatus('communityWorker2', 'GET', `/halls/${w.hall1}`, 404);
    await expectStatus('communityWorker2', 'GET', `/compounds/${w.compound1}/buildings`, 404);
    const post = await expectStatus(
      'communityWorker2',
      'POST',
      `/communities/${w.community1}/compounds`,
      404,
      { name: '越界小区', address: 'x' },
    );
    expect(post.json()).toEqual({
      error: { code: 'not_found', message: 'That community was not found.' },
    });
    await expectStatus('communityWorker2', 'POST', `/compounds/${w.compound1}/buildings`, 404, {
      name: '越界栋',
      floors: 3,
    });
    await expectStatus('communityWorker2', 'POST', `/buildings/${w.buildingA}/units`, 404, {
      name: '越界单元',
      households: 3,
    });
    await expectStatus('communityWorker2', 'PATCH', `/buildings/${w.buildingA}`, 404, {
      gridId: null,
    });
    await expectStatus(
      'communityWorker2',
      'POST',
      `/buildings/${w.buildingA}/locker-sites`,
      404,
      {},
    );
    await expectStatus(
      'communityWorker2',
      'POST',
      `/subdistricts/${w.subdistrict}/communities`,
      404,
      { name: '越界社区' },
    );
    const after = await t.database.db
      .selectFrom('compounds')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const b = await t.database.db
      .selectFrom('buildings')
      .select('grid_id')
      .where('id', '=', w.buildingA)
      .executeTakeFirstOrThrow();
    expect(b.grid_id).toBe(w.grid1);

    // ...while its own community is open to it.
    await expectStatus('communityWorker2', 'GET', `/communities/${w.community2}`, 200);
    await expectStatus('communityWorker2', 'GET', `/units/${w.unitC}`, 200);
  });

  it('shows a resident their own unit only, and no staff routes', async () => {
    const own = await expectStatus('residentA', 'GET', `/units/${w.unitA}`, 200);
    expect(own.json()).toMatchObject({
      id: w.unitA,
      buildingId: w.buildingA,
      communityName: '清水河社区',
      gridId: w.grid1,
    });
    await expectStatus('residentA', 'GET', `/units/${w.unitB}`, 404);
    await expectStatus('residentA', 'GET', `/units/${w.unitC}`, 404);
    await expectStatus('residentA', 'GET', `/communities/${w.community1}`, 403);
    await expectStatus('residentA', 'GET', `/halls/${w.hall1}`, 403);
    await expectStatus('residentA', 'GET', '/subdistricts', 403);
    const res = await expectStatus(
      'residentA',
      'POST',
      `/communities/${w.community1}/compounds`,
      403,
      { name: '居民小区', address: 'x' },
    );
    expect(res.json().error.code).toBe('forbidden');
    await expectStatus('residentA', 'PATCH', `/buildings/${w.buildingA}`, 403, { gridId: null });
    await expectStatus('residentA', 'POST', '/carriers', 403, {
      code: 'sf',
      name: '顺丰',
      kind: 'express',
    });
  });

  it('gives a courier carriers but no places', async () => {
    const carriers = await expectStatus('courier', 'GET', '/carriers', 200);
    expect(carriers.json()).toEqual([
      {
        id: w.carrier,
        code: 'zto',
        name: '中通快递',
        kind: 'express',
        createdAt: expect.any(String),
      },
    ]);
    await expectStatus('courier', 'GET', '/subdistricts', 403);
    await expectStatus('courier', 'GET', `/communities/${w.community1}`, 403);
    await expectStatus('courier', 'GET', `/communities/${w.community1}/locker-sites`, 403);
    await expectStatus('courier', 'GET', `/units/${w.unitA}`, 403);
    await expectStatus('courier', 'GET', '/me/directory', 403);
  });

  it('scopes hall staff and partners to their hall, grid workers to their grid', async () => {
    await expectStatus('hallStaff1', 'GET', `/halls/${w.hall1}`, 200);
    await expectStatus('hallStaff1', 'GET', `/halls/${w.hall2}`, 404);
    const p = await expectStatus('partner1', 'GET', `/halls/${w.hall1}`, 200);
    expect(p.json()).toEqual({
      id: w.hall1,
      communityId: w.community1,
      compoundId: w.compound1,
      name: '清淳家园蚁巢服务馆',
      address: '清淳家园东门',
      openingHours: '08:00-21:00',
      createdAt: expect.any(String),
    });
    await expectStatus('partner1', 'GET', `/units/${w.unitA}`, 403);
    await expectStatus('hallStaff1', 'POST', `/communities/${w.community1}/halls`, 403, {
      name: '新馆',
      address: 'x',
      openingHours: '08:00-21:00',
    });
    await expectStatus('gridWorker1', 'GET', `/units/${w.unitA}`, 200);
    await expectStatus('gridWorker1', 'GET', `/units/${w.unitB}`, 404);
    await expectStatus('gridWorker1', 'GET', `/buildings/${w.buildingA}/units`, 200);
    await expectStatus('gridWorker1', 'POST', `/buildings/${w.buildingA}/units`, 403, {
      name: '9单元',
      households: 1,
    });
  });

  it('lists only the subdistricts a role covers, and only a platform admin adds subdistricts and carriers', async () => {
    expect(
      (await expectStatus('officer', 'GET', '/subdistricts', 200))
        .json()
        .map((s: { id: string }) => s.id),
    ).toEqual([w.subdistrict]);
    expect(
      (await expectStatus('admin', 'GET', '/subdistricts', 200))
        .json()
        .map((s: { id: string }) => s.id),
    ).toEqual([w.subdistrict]);
    expect((await expectStatus('communityWorker1', 'GET', '/subdistricts', 200)).json()).toEqual(
      [],
    );
    await expectStatus('communityWorker1', 'GET', `/subdistricts/${w.subdistrict}`, 404);
    await expectStatus('officer', 'GET', `/subdistricts/${w.subdistrict}/communities`, 200);
    await expectStatus('officer', 'POST', '/subdistricts', 403, {
      name: '新街道',
      city: '成都市',
      district: '金牛区',
    });
    await expectStatus('communityWorker1', 'POST', '/carriers', 403, {
      code: 'sf',
      name: '顺丰速运',
      kind: 'express',
    });

    // An operator admin scoped to one subdistrict is not platform-wide.
    const uid = newId(t.clock, cryptoRandom);
    const at = iso(t.clock.now());
    await t.database.db
      .insertInto('users')
      .values({
        id: uid,
        display_name: 'sub admin',
        phone_hash: null,
        phone_cipher: null,
        username: 'subadmin',
        password_hash: null,
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await t.database.db
      .insertInto('role_grants')
      .values({
        id: newId(t.clock, cryptoRandom),
        user_id: uid,
        role: 'operator_admin',
        scope_kind: 'subdistrict',
        scope_id: w.subdistrict,
        community_id: null,
        created_at: at,
        created_by: null,
      })
      .execute();
    const token = await signToken(t, uid);
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subdistricts',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: '新街道', city: '成都市', district: '金牛区' },
    });
    expect(sub.statusCode).toBe(403);
    expect(sub.json().error.message).toContain('platform-wide');
    const com = await t.app.inject({
      method: 'POST',
      url: `/api/v1/subdistricts/${w.subdistrict}/communities`,
      headers: { authorization: `Bearer ${token}` },
      payload: { name: '新社区' },
    });
    expect(com.statusCode).toBe(201);

    const sf = await expectStatus('admin', 'POST', '/carriers', 201, {
      code: 'sf',
      name: '顺丰速运',
      kind: 'express',
    });
    expect(sf.json()).toMatchObject({ code: 'sf', name: '顺丰速运', kind: 'express' });
  });

  it('asks for a token first (401)', async () => {
    for (const url of ['/subdistricts', `/units/${w.unitA}`, '/carriers', '/me/directory'])
      await expectStatus(null, 'GET', url, 401);
  });
});
