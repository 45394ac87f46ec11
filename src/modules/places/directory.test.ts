/** The resident's directory tab: their grid, police, halls and lockers, and nothing of anyone else's unit. */
import type { InjectOptions } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';

describeEachDialect('resident directory', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    const post = async (url: string, payload: object) => {
      const res = await call('communityWorker1', 'POST', url, payload);
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    };
    await post(`/communities/${w.community1}/police-contacts`, {
      name: '王警官',
      workPhone: '028-87000201',
      gridId: w.grid2,
    });
    await post(`/communities/${w.community1}/police-contacts`, {
      name: '社区警务室',
      title: '值班',
      workPhone: '028-87000200',
    });
    await post(`/communities/${w.community1}/police-contacts`, {
      name: '李警官',
      workPhone: '028-87000202',
      gridId: w.grid1,
    });
    await post(`/buildings/${w.buildingA}/locker-sites`, { name: '1栋大堂' });
    const c2 = await call(
      'communityWorker2',
      'POST',
      `/communities/${w.community2}/police-contacts`,
      { name: '蜀西警务室', workPhone: '028-87000300' },
    );
    if (c2.statusCode !== 201) throw new Error(c2.body);
  });

  const call = (who: WorldUser, method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });

  it("gives resident A their unit's grid line, police (own grid first), halls and door lockers", async () => {
    const res = await call('residentA', 'GET', '/me/directory');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.units).toHaveLength(1);
    const [entry] = body.units;
    expect(entry).toEqual({
      unit: { id: w.unitA, name: '1单元', households: 36 },
      building: { id: w.buildingA, name: '1栋' },
      compound: { id: w.compound1, name: '清淳家园', address: '金泉街道清水河路1号' },
      community: { id: w.community1, name: '清水河社区' },
      grid: { id: w.grid1, name: '第一网格', servicePhone: '028-80000001' },
      policeContacts: [
        { name: '李警官', title: '社区民警', workPhone: '028-87000202', forMyGrid: true },
        { name: '社区警务室', title: '值班', workPhone: '028-87000200', forMyGrid: false },
        { name: '王警官', title: '社区民警', workPhone: '028-87000201', forMyGrid: false },
      ],
      halls: [
        {
          id: w.hall1,
          name: '清淳家园蚁巢服务馆',
          address: '清淳家园东门',
          openingHours: '08:00-21:00',
        },
      ],
      lockerSites: [
        { id: w.siteA, name: '1栋1单元门口', atMyUnit: true },
        { id: expect.any(String), name: '1栋大堂', atMyUnit: false },
      ],
    });
    // Nothing of unit B (another building and grid) or community 2 leaks in.
    for (const other of [
      w.unitB,
      w.buildingB,
      w.siteB,
      w.grid2,
      w.hall2,
      w.unitC,
      '028-80000002',
      '028-87000300',
      '两河锦地',
    ]) {
      expect(res.body).not.toContain(other);
    }
  });

  it('gives resident C the directory of community 2, without a grid when the building has none', async () => {
    const res = await call('residentC', 'GET', '/me/directory');
    expect(res.statusCode).toBe(200);
    const [entry] = res.json().units;
    expect(entry.unit.id).toBe(w.unitC);
    expect(entry.grid).toBeNull();
    expect(entry.halls.map((h: { id: string }) => h.id)).toEqual([w.hall2]);
    expect(entry.policeContacts).toEqual([
      { name: '蜀西警务室', title: '社区民警', workPhone: '028-87000300', forMyGrid: false },
    ]);
    expect(entry.lockerSites).toEqual([]);
    expect(res.body).not.toContain('清水河社区');
  });

  it('is for residents only', async () => {
    for (const who of ['communityWorker1', 'courier', 'admin'] as const) {
      const res = await call(who, 'GET', '/me/directory');
      expect({ who, status: res.statusCode }).toEqual({ who, status: 403 });
    }
  });
});
