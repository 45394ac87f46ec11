/**
 * Each staff role's console lists what its grants cover, named by place: a grid worker
 * their grid's lockers, alerts and parcels; hall staff the lockers their hall serves;
 * community and wider roles everything; a partner their hall by name. Filters narrow the
 * locker list on the server. Before places/area.scope.ts grid and hall staff got 404.
 */
import { beforeAll, expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { deposit } from '../parcels/index.ts';
import { raiseAlert } from './alert.service.ts';
import { updateLocker } from './locker.repository.ts';
import { createLocker } from './locker.service.ts';

interface Named {
  id: string;
  place?: { compound: string; building: string; unit: string | null; cabinet: string };
}

describeEachDialect('staff areas: every role lists what it covers, by place', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    // Site A is in building A (grid 1), site B in building B (grid 2); both in hall 1's compound.
    await createLocker(t.deps, null, w.siteA, {
      id: 'area-0001',
      name: '1栋1单元门口智能柜',
      compartments: demoLayout(24),
    });
    await createLocker(t.deps, null, w.siteB, {
      id: 'area-0002',
      name: '2栋1单元门口智能柜',
      compartments: demoLayout(24),
    });
    for (const id of ['area-0001', 'area-0002'])
      await updateLocker(t.database.db, id, {
        status: 'active',
        presence: id === 'area-0001' ? 'online' : 'offline',
      });
    await raiseAlert(t.database.db, t.deps, {
      communityId: w.community1,
      lockerId: 'area-0002',
      compartment: 3,
      kind: 'door_jammed',
      message: 'door did not open',
    });
    await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: 'area-0001',
        waybill: 'AREA-1001',
        recipientPhone: '13800001234',
        size: 'S',
        kind: 'delivery',
      },
    );
    // Deposited while it was still online (an offline locker refuses deposits), then it went offline.
    await updateLocker(t.database.db, 'area-0002', { presence: 'online' });
    await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: 'area-0002',
        waybill: 'AREA-2002',
        recipientPhone: '13900001234',
        size: 'S',
        kind: 'delivery',
      },
    );
    await updateLocker(t.database.db, 'area-0002', { presence: 'offline' });
  });
  const api = (who: WorldUser, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });
  const ids = async (who: WorldUser, url: string) => {
    const r = await api(who, 'GET', url);
    expect(r.statusCode, `${who} ${url}: ${r.body}`).toBe(200);
    return (r.json() as Named[]).map((x) => x.id).sort();
  };

  it("lists lockers per role: grid worker their grid, hall staff their hall's compound, community and wider all; other communities 404", async () => {
    const url = `/communities/${w.community1}/lockers`;
    expect(await ids('gridWorker1', url)).toEqual(['area-0001']);
    expect(await ids('hallStaff1', url)).toEqual(['area-0001', 'area-0002']);
    for (const who of ['communityWorker1', 'officer', 'admin'] as const)
      expect(await ids(who, url)).toEqual(['area-0001', 'area-0002']);
    expect((await api('communityWorker2', 'GET', url)).statusCode).toBe(404);
    expect((await api('partner1', 'GET', url)).statusCode).toBe(403);
    expect((await api('residentA', 'GET', url)).statusCode).toBe(403);
  });

  it('names each locker by compound, building, unit and cabinet', async () => {
    const [l] = (
      await api('gridWorker1', 'GET', `/communities/${w.community1}/lockers`)
    ).json() as Named[];
    expect(l!.place).toMatchObject({
      compound: '清淳家园',
      building: '1栋',
      unit: '1单元',
      cabinet: '智能柜',
    });
  });

  it('filters the locker list on the server by compound, building, presence and open alerts', async () => {
    const url = `/communities/${w.community1}/lockers`;
    expect(await ids('communityWorker1', `${url}?buildingId=${w.buildingB}`)).toEqual([
      'area-0002',
    ]);
    expect(await ids('communityWorker1', `${url}?compoundId=${w.compound1}`)).toEqual([
      'area-0001',
      'area-0002',
    ]);
    expect(await ids('communityWorker1', `${url}?presence=online`)).toEqual(['area-0001']);
    expect(await ids('communityWorker1', `${url}?alerts=open`)).toEqual(['area-0002']);
    // A filter never widens an area: the grid worker asking for building B gets nothing.
    expect(await ids('gridWorker1', `${url}?buildingId=${w.buildingB}`)).toEqual([]);
  });

  it('alerts follow the same areas and name the place', async () => {
    const url = `/communities/${w.community1}/alerts?status=unresolved`;
    expect((await api('gridWorker1', 'GET', url)).json()).toEqual([]);
    const hall = (await api('hallStaff1', 'GET', url)).json() as (Named & {
      lockerName: string;
      compartment: number;
    })[];
    expect(hall).toHaveLength(1);
    expect(hall[0]).toMatchObject({
      lockerName: '2栋1单元门口智能柜',
      compartment: 3,
      place: { compound: '清淳家园', building: '2栋', unit: '1单元' },
    });
  });

  it('hall staff open the lockers their hall serves; a grid worker only those of their grid', async () => {
    expect((await api('hallStaff1', 'GET', '/lockers/area-0002')).statusCode).toBe(200);
    expect((await api('gridWorker1', 'GET', '/lockers/area-0001')).statusCode).toBe(200);
    expect((await api('gridWorker1', 'GET', '/lockers/area-0002')).statusCode).toBe(404);
    const detail = (await api('hallStaff1', 'GET', '/lockers/area-0002')).json() as Named & {
      alerts: Named[];
    };
    expect(detail.place?.building).toBe('2栋');
    expect(detail.alerts[0]?.place?.building).toBe('2栋');
  });

  it("parcel search by 手机尾号 stays inside the caller's area and names the place", async () => {
    const search = (who: WorldUser, q: string) =>
      api(who, 'POST', `/communities/${w.community1}/parcels/search`, { q });
    const all = (await search('communityWorker1', '1234')).json() as {
      waybill: string;
      recipientPhone: string;
      place: { building: string };
    }[];
    expect(all.map((p) => p.waybill).sort()).toEqual(['AREA-1001', 'AREA-2002']);
    expect(all.map((p) => p.recipientPhone).sort()).toEqual(['138****1234', '139****1234']);
    const grid = (await search('gridWorker1', '1234')).json() as {
      waybill: string;
      place: { building: string };
    }[];
    expect(grid.map((p) => [p.waybill, p.place.building])).toEqual([['AREA-1001', '1栋']]);
    expect((await search('gridWorker1', '13900001234')).json()).toEqual([]);
    expect((await search('partner1', '1234')).statusCode).toBe(403);
  });

  it('names my workplaces and communities for every staff role and the partner', async () => {
    const places = async (who: WorldUser) =>
      (await api(who, 'GET', '/me/workplaces')).json() as {
        grants: { placeName: string | null; communityName: string | null }[];
        communities: { name: string }[];
      };
    expect((await places('gridWorker1')).grants[0]).toMatchObject({
      placeName: '第一网格',
      communityName: expect.any(String),
    });
    expect((await places('hallStaff1')).grants[0]?.placeName).toBe('清淳家园蚁巢服务馆');
    expect((await places('partner1')).grants[0]?.placeName).toBe('清淳家园蚁巢服务馆');
    expect((await places('officer')).communities).toHaveLength(2);
    expect((await places('admin')).communities).toHaveLength(2);
    expect((await places('communityWorker2')).communities).toHaveLength(1);
    expect((await api('residentA', 'GET', '/me/workplaces')).statusCode).toBe(403);
  });

  it('gives each role the compounds and buildings of its area for the filters', async () => {
    const area = async (who: WorldUser) =>
      (await api(who, 'GET', `/communities/${w.community1}/area`)).json() as {
        compounds: { name: string; buildings: { name: string }[] }[];
      };
    expect((await area('gridWorker1')).compounds).toEqual([
      expect.objectContaining({
        name: '清淳家园',
        buildings: [expect.objectContaining({ name: '1栋' })],
      }),
    ]);
    expect((await area('hallStaff1')).compounds[0]?.buildings.map((b) => b.name)).toEqual([
      '1栋',
      '2栋',
    ]);
  });
});
