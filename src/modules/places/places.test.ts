/** Managing places over HTTP: building the hierarchy, validation, duplicates and paging. */
import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';

describeEachDialect('places', (dialect) => {
  const { t, w } = useWorld(dialect);

  const call = (who: WorldUser, method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });

  it('lets an operator admin build a subdistrict down to a locker site, audited, with counts', async () => {
    const sub = await call('admin', 'POST', '/subdistricts', {
      name: '茶店子街道',
      city: '成都市',
      district: '金牛区',
    });
    expect(sub.statusCode).toBe(201);
    expect(sub.json()).toMatchObject({ name: '茶店子街道', city: '成都市', district: '金牛区' });
    const subId = sub.json().id as string;

    const com = await call('admin', 'POST', `/subdistricts/${subId}/communities`, {
      name: '  花照壁社区 ',
    });
    expect(com.statusCode).toBe(201);
    expect(com.json()).toEqual({
      id: expect.any(String),
      subdistrictId: subId,
      name: '花照壁社区',
      createdAt: expect.any(String),
    });
    const comId = com.json().id as string;

    const empty = await call('admin', 'GET', `/communities/${comId}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json().counts).toEqual({
      compounds: 0,
      grids: 0,
      buildings: 0,
      units: 0,
      halls: 0,
      lockerSites: 0,
      policeContacts: 0,
    });

    const compound = await call('admin', 'POST', `/communities/${comId}/compounds`, {
      name: '花照壁小区',
      address: '花照壁西顺街1号',
    });
    expect(compound.statusCode).toBe(201);
    expect(compound.json().communityId).toBe(comId);
    const grid = await call('admin', 'POST', `/communities/${comId}/grids`, {
      name: '第一网格',
      servicePhone: '028-87654321',
    });
    expect(grid.statusCode).toBe(201);
    expect(grid.json()).toMatchObject({ communityId: comId, servicePhone: '028-87654321' });

    const building = await call('admin', 'POST', `/compounds/${compound.json().id}/buildings`, {
      name: '1栋',
      floors: 11,
      gridId: grid.json().id,
    });
    expect(building.statusCode).toBe(201);
    expect(building.json()).toMatchObject({
      communityId: comId,
      compoundId: compound.json().id,
      gridId: grid.json().id,
      floors: 11,
    });
    const buildingId = building.json().id as string;

    const unit = await call('admin', 'POST', `/buildings/${buildingId}/units`, {
      name: '1单元',
      households: 22,
    });
    expect(unit.statusCode).toBe(201);
    expect(unit.json()).toMatchObject({
      communityId: comId,
      compoundId: compound.json().id,
      buildingId,
      households: 22,
    });

    const hall = await call('admin', 'POST', `/communities/${comId}/halls`, {
      name: '花照壁蚁巢服务馆',
      address: '花照壁小区北门',
      openingHours: '08:00-21:00',
      compoundId: compound.json().id,
    });
    expect(hall.statusCode).toBe(201);
    expect(hall.json()).toMatchObject({
      communityId: comId,
      compoundId: compound.json().id,
      openingHours: '08:00-21:00',
    });

    const police = await call('admin', 'POST', `/communities/${comId}/police-contacts`, {
      name: '赵警官',
      workPhone: '028-87650000',
      gridId: grid.json().id,
    });
    expect(police.statusCode).toBe(201);
    expect(police.json()).toMatchObject({
      title: '社区民警',
      gridId: grid.json().id,
      workPhone: '028-87650000',
    });

    const site = await call('admin', 'POST', `/buildings/${buildingId}/locker-sites`, {
      unitId: unit.json().id,
    });
    expect(site.statusCode).toBe(201);
    expect(site.json()).toMatchObject({
      name: '1栋1单元门口',
      unitId: unit.json().id,
      buildingId,
      communityId: comId,
    });

    const full = await call('admin', 'GET', `/communities/${comId}`);
    expect(full.json()).toEqual({
      id: comId,
      subdistrictId: subId,
      name: '花照壁社区',
      createdAt: expect.any(String),
      counts: {
        compounds: 1,
        grids: 1,
        buildings: 1,
        units: 1,
        halls: 1,
        lockerSites: 1,
        policeContacts: 1,
      },
    });

    const detail = await call('admin', 'GET', `/units/${unit.json().id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      name: '1单元',
      buildingName: '1栋',
      compoundName: '花照壁小区',
      communityName: '花照壁社区',
      gridId: grid.json().id,
    });

    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'community_id'])
      .where('community_id', '=', comId)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'building.create',
      'community.create',
      'compound.create',
      'grid.create',
      'hall.create',
      'locker_site.create',
      'police_contact.create',
      'unit.create',
    ]);
    expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([w.users.admin.id]));
  });

  it('lists what it created, and a community worker manages their own community', async () => {
    const compound = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/compounds`,
      { name: '清水河新居', address: '清水河路9号' },
    );
    expect(compound.statusCode).toBe(201);
    const compounds = await call(
      'communityWorker1',
      'GET',
      `/communities/${w.community1}/compounds`,
    );
    expect(compounds.statusCode).toBe(200);
    expect(compounds.json().map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['清淳家园', '清水河新居']),
    );
    const grids = await call('gridWorker1', 'GET', `/communities/${w.community1}/grids`);
    expect(grids.statusCode).toBe(404); // a grid worker's scope is their grid, not the whole community
    const halls = await call('officer', 'GET', `/communities/${w.community1}/halls`);
    expect(halls.json().map((h: { id: string }) => h.id)).toEqual([w.hall1]);
    const sites = await call(
      'communityWorker1',
      'GET',
      `/communities/${w.community1}/locker-sites`,
    );
    expect(
      sites
        .json()
        .map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([w.siteA, w.siteB].sort());
  });

  it('pages units and buildings in natural order (2 before 10)', async () => {
    const b = await call('admin', 'POST', `/compounds/${w.compound1}/buildings`, {
      name: '9栋',
      floors: 6,
    });
    expect(b.statusCode).toBe(201);
    const id = b.json().id as string;
    for (const name of ['10单元', '2单元', '1单元']) {
      expect(
        (await call('admin', 'POST', `/buildings/${id}/units`, { name, households: 12 }))
          .statusCode,
      ).toBe(201);
    }
    const first = await call('admin', 'GET', `/buildings/${id}/units?limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().map((u: { name: string }) => u.name)).toEqual(['1单元', '2单元']);
    const rest = await call('admin', 'GET', `/buildings/${id}/units?limit=2&offset=2`);
    expect(rest.json().map((u: { name: string }) => u.name)).toEqual(['10单元']);
    const buildings = await call('admin', 'GET', `/compounds/${w.compound1}/buildings`);
    expect(buildings.json().map((x: { name: string }) => x.name)).toEqual(['1栋', '2栋', '9栋']);
  });

  it('assigns a building to a grid of its own community only', async () => {
    const moved = await call('communityWorker1', 'PATCH', `/buildings/${w.buildingA}`, {
      gridId: w.grid2,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ id: w.buildingA, gridId: w.grid2, name: '1栋' });
    expect(
      (
        await call('communityWorker1', 'PATCH', `/buildings/${w.buildingA}`, { gridId: w.grid1 })
      ).json().gridId,
    ).toBe(w.grid1);

    const otherGrid = await call('communityWorker2', 'POST', `/communities/${w.community2}/grids`, {
      name: '蜀西第一网格',
    });
    expect(otherGrid.statusCode).toBe(201);
    const cross = await call('admin', 'PATCH', `/buildings/${w.buildingA}`, {
      gridId: otherGrid.json().id,
    });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.code).toBe('validation_failed');
    expect(cross.json().error.message).toContain('is not a grid of this community');
    const ghost = await call('admin', 'PATCH', `/buildings/${w.buildingA}`, {
      gridId: '01234567-89ab-7def-8123-456789abcdef',
    });
    expect(ghost.statusCode).toBe(400);
    const stored = await t.database.db
      .selectFrom('buildings')
      .select('grid_id')
      .where('id', '=', w.buildingA)
      .executeTakeFirstOrThrow();
    expect(stored.grid_id).toBe(w.grid1);

    const crossCreate = await call('admin', 'POST', `/compounds/${w.compound1}/buildings`, {
      name: '88栋',
      floors: 6,
      gridId: otherGrid.json().id,
    });
    expect(crossCreate.statusCode).toBe(400);
    const unassign = await call('admin', 'PATCH', `/buildings/${w.buildingB}`, { gridId: null });
    expect(unassign.json().gridId).toBeNull();
    await call('admin', 'PATCH', `/buildings/${w.buildingB}`, { gridId: w.grid2 });
  });

  it('puts a locker site only at a unit of that building', async () => {
    const wrong = await call('admin', 'POST', `/buildings/${w.buildingA}/locker-sites`, {
      unitId: w.unitB,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('is not a unit of 1栋');
    const wide = await call('admin', 'POST', `/buildings/${w.buildingA}/locker-sites`, {
      name: '1栋大堂',
    });
    expect(wide.statusCode).toBe(201);
    expect(wide.json()).toMatchObject({
      unitId: null,
      buildingId: w.buildingA,
      compoundId: w.compound1,
      communityId: w.community1,
    });
    const hall = await call('admin', 'POST', `/communities/${w.community2}/halls`, {
      name: '错位服务馆',
      address: 'x',
      openingHours: '08:00-21:00',
      compoundId: w.compound1,
    });
    expect(hall.statusCode).toBe(400);
    expect(hall.json().error.message).toContain('is not a compound of 蜀西社区');
  });

  it('rejects a duplicate name under the same parent with 409, and allows it elsewhere', async () => {
    const cases: [WorldUser, string, object, string][] = [
      [
        'admin',
        `/subdistricts/${w.subdistrict}/communities`,
        { name: '蜀西社区' },
        '金泉街道 already has a community named "蜀西社区"',
      ],
      [
        'communityWorker1',
        `/communities/${w.community1}/compounds`,
        { name: '清淳家园', address: '另一个地址' },
        'compound named "清淳家园"',
      ],
      [
        'communityWorker1',
        `/communities/${w.community1}/grids`,
        { name: '第一网格' },
        'grid named "第一网格"',
      ],
      [
        'communityWorker1',
        `/compounds/${w.compound1}/buildings`,
        { name: '2栋', floors: 3 },
        'building named "2栋"',
      ],
      [
        'communityWorker1',
        `/buildings/${w.buildingA}/units`,
        { name: ' 1单元 ', households: 3 },
        'unit named "1单元"',
      ],
      [
        'communityWorker1',
        `/communities/${w.community1}/halls`,
        { name: '清淳家园蚁巢服务馆', address: 'x', openingHours: '09:00-18:00' },
        'hall named',
      ],
      [
        'communityWorker1',
        `/buildings/${w.buildingA}/locker-sites`,
        { unitId: w.unitA },
        'locker site named "1栋1单元门口"',
      ],
      [
        'admin',
        '/subdistricts',
        { name: '金泉街道', city: '成都市', district: '金牛区' },
        'subdistrict named "金泉街道"',
      ],
      ['admin', '/carriers', { code: 'zto', name: '中通', kind: 'express' }, 'code "zto"'],
    ];
    for (const [who, url, body, message] of cases) {
      const res = await call(who, 'POST', url, body);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 409 });
      expect(res.json().error.code).toBe('conflict');
      expect(res.json().error.message).toContain(message);
    }
    const pc = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/police-contacts`,
      { name: '孙警官', workPhone: '028-87001234' },
    );
    expect(pc.statusCode).toBe(201);
    expect(
      (
        await call('communityWorker1', 'POST', `/communities/${w.community1}/police-contacts`, {
          name: '孙警官',
          workPhone: '028-87001235',
        })
      ).statusCode,
    ).toBe(409);
    const rename = await call('admin', 'PATCH', `/buildings/${w.buildingA}`, { name: '2栋' });
    expect(rename.statusCode).toBe(409);

    // The same names under another parent are fine.
    expect(
      (
        await call('communityWorker2', 'POST', `/communities/${w.community2}/grids`, {
          name: '第一网格',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call('communityWorker1', 'POST', `/buildings/${w.buildingB}/units`, {
          name: '2单元',
          households: 30,
        })
      ).statusCode,
    ).toBe(201);
  });

  it('lets exactly one of several racing creates with the same name win; the rest get 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('communityWorker1', 'POST', `/compounds/${w.compound1}/buildings`, {
          name: '赛跑楼',
          floors: 6,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('answers bad input with 400 validation_failed, never 500', async () => {
    const cases: [InjectOptions['method'], string, object | undefined, string][] = [
      [
        'POST',
        `/communities/${w.community1}/compounds`,
        { name: '新小区', address: '某路1号', extra: 1 },
        '"extra"',
      ],
      ['POST', `/compounds/${w.compound1}/buildings`, { name: '30栋', floors: 'ten' }, 'floors'],
      ['POST', `/compounds/${w.compound1}/buildings`, { name: '30栋', floors: 0 }, 'floors'],
      ['POST', `/compounds/${w.compound1}/buildings`, { floors: 10 }, 'Missing required field'],
      ['POST', `/buildings/${w.buildingA}/units`, { name: '', households: 1 }, 'name'],
      ['POST', `/buildings/${w.buildingA}/units`, { name: '   ', households: 1 }, 'name'],
      [
        'POST',
        `/communities/${w.community1}/halls`,
        { name: '馆', address: '路', openingHours: '8 to 9' },
        'openingHours',
      ],
      [
        'POST',
        `/communities/${w.community1}/grids`,
        { name: '网格X', servicePhone: 'call me' },
        'servicePhone',
      ],
      ['POST', '/carriers', { code: 'Bad Code', name: 'x', kind: 'express' }, 'code'],
      ['POST', '/carriers', { code: 'dd', name: '达达', kind: 'drone' }, 'kind'],
      ['PATCH', `/buildings/${w.buildingA}`, {}, ''],
      ['GET', '/units/not-a-uuid', undefined, 'unitId'],
      ['GET', `/buildings/${w.buildingA}/units?limit=0`, undefined, 'limit'],
      ['GET', `/buildings/${w.buildingA}/units?limit=abc`, undefined, 'limit'],
      ['GET', `/compounds/${w.compound1}/buildings?offset=-1`, undefined, 'offset'],
    ];
    for (const [method, url, body, hint] of cases) {
      const res = await call('admin', method, url, body);
      expect({ url, body, status: res.statusCode }).toEqual({ url, body, status: 400 });
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.message).toContain(hint);
    }
    const notJson = await t.app.inject({
      method: 'POST',
      url: `/api/v1/communities/${w.community1}/grids`,
      headers: { ...auth(w, 'admin'), 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('bad_request');
  });

  it('404s a well-formed id that does not exist, for admins too', async () => {
    const ghost = '01234567-89ab-7def-8123-456789abcdef';
    for (const url of [
      `/communities/${ghost}`,
      `/units/${ghost}`,
      `/halls/${ghost}`,
      `/subdistricts/${ghost}`,
      `/compounds/${ghost}/buildings`,
    ]) {
      const res = await call('admin', 'GET', url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.json().error.code).toBe('not_found');
    }
  });
});
