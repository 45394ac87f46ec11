/**
 * Finding the door (issue 12 item 8): the directory matches an address as the apps show
 * it, with or without spaces, and building/unit numbers exactly (1栋 is not 11栋); a
 * courier's list starts with the sites they used most recently; two cabinets at one door
 * carry their numbers; 今日投递 names places, not machine ids.
 */
import { beforeAll, expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import { updateLocker } from './locker.repository.ts';
import { createLocker } from './locker.service.ts';

describeEachDialect('finding the door in the locker directory', (dialect) => {
  const { t, w } = useWorld(dialect);
  let site11: string;
  beforeAll(async () => {
    const db = t.database.db;
    const at = iso(t.clock.now());
    // 11栋1单元 beside 1栋1单元: a search for "1栋1单元" must not find it.
    const b11 = newId(t.clock, cryptoRandom);
    const u11 = newId(t.clock, cryptoRandom);
    site11 = newId(t.clock, cryptoRandom);
    await db
      .insertInto('buildings')
      .values({
        id: b11,
        community_id: w.community1,
        compound_id: w.compound1,
        grid_id: w.grid1,
        name: '11栋',
        floors: 18,
        created_at: at,
      })
      .execute();
    await db
      .insertInto('units')
      .values({
        id: u11,
        community_id: w.community1,
        compound_id: w.compound1,
        building_id: b11,
        name: '1单元',
        households: 36,
        created_at: at,
      })
      .execute();
    await db
      .insertInto('locker_sites')
      .values({
        id: site11,
        community_id: w.community1,
        compound_id: w.compound1,
        building_id: b11,
        unit_id: u11,
        name: '11栋1单元门口',
        created_at: at,
      })
      .execute();
    const add = async (id: string, site: string) => {
      await createLocker(t.deps, null, site, {
        id,
        name: '蚁巢智能柜',
        compartments: demoLayout(8),
      });
      await updateLocker(db, id, { status: 'active' });
    };
    await add('find-a1', w.siteA);
    await add('find-a2', w.siteA); // a second cabinet at the same door
    await add('find-b1', w.siteB);
    await add('find-11', site11);
  });

  type Entry = { id: string; address: string; place: string; cabinet: string };
  const find = async (q?: string, paging = '') => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/lockers?${q === undefined ? '' : `q=${encodeURIComponent(q)}`}${paging}`,
      headers: auth(w, 'courier'),
    });
    expect(r.statusCode).toBe(200);
    return r.json() as Entry[];
  };

  it('matches the address as the apps show it, with or without spaces, and building/unit numbers exactly', async () => {
    for (const q of [
      '清淳家园 1栋1单元',
      '清淳家园1栋1单元',
      '清水河社区 清淳家园 1栋1单元门口',
      '清水河社区清淳家园1栋1单元门口',
      '清淳 1-1',
      '1栋 1单元',
    ]) {
      expect(
        (await find(q)).map((l) => l.id),
        q,
      ).toEqual(['find-a1', 'find-a2']);
    }
    expect((await find('11栋1单元')).map((l) => l.id)).toEqual(['find-11']);
    expect((await find('清淳家园 2栋')).map((l) => l.id)).toEqual(['find-b1']);
    expect((await find('find-b1')).map((l) => l.id)).toEqual(['find-b1']);
    expect(await find('两河锦地 1栋1单元')).toEqual([]);
  });

  it('tells two cabinets at one door apart by the number on them, and a lone cabinet needs none', async () => {
    const all = await find('清淳家园');
    const byId = new Map(all.map((l) => [l.id, l]));
    expect(byId.get('find-a1')).toMatchObject({
      cabinet: '1号柜',
      place: '清淳家园 1栋1单元门口 1号柜',
      address: '清水河社区 清淳家园 1栋1单元门口',
    });
    expect(byId.get('find-a2')).toMatchObject({
      cabinet: '2号柜',
      place: '清淳家园 1栋1单元门口 2号柜',
    });
    expect(byId.get('find-b1')).toMatchObject({ cabinet: '', place: '清淳家园 2栋1单元门口' });
    // Natural order without a history: 1栋, 2栋, then 11栋 (not text order, which puts 11栋 second).
    expect(all.map((l) => l.id)).toEqual(['find-a1', 'find-a2', 'find-b1', 'find-11']);
    // Pages follow the same order.
    const page = async (offset: number) =>
      (await find('清淳家园', `&limit=2&offset=${offset}`)).map((l) => l.id);
    expect([...(await page(0)), ...(await page(2))]).toEqual(all.map((l) => l.id));
    expect(await page(4)).toEqual([]);
  });

  it("puts the courier's most recent sites first, then the rest of those compounds; 今日投递 names the place", async () => {
    const dep = async (lockerId: string, waybill: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/lockers/${lockerId}/deposits`,
        headers: auth(w, 'courier'),
        payload: { waybill, recipientPhone: '13800000001', size: 'S' },
      });
    expect((await dep('find-b1', 'FIND-00001')).statusCode).toBe(201);
    t.clock.advance(60_000);
    expect((await dep('find-11', 'FIND-00002')).statusCode).toBe(201);
    const order = (await find()).map((l) => l.id);
    expect(order.slice(0, 2)).toEqual(['find-11', 'find-b1']);
    const mine = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/courier/deposits?since=${encodeURIComponent(iso(0))}`,
        headers: auth(w, 'courier'),
      })
    ).json() as { lockerId: string; placeName: string }[];
    expect(mine.map((p) => p.placeName).sort()).toEqual([
      '清淳家园 11栋1单元门口',
      '清淳家园 2栋1单元门口',
    ]);
    const one = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/courier/deposits`,
        headers: auth(w, 'courier'),
      })
    ).json() as { parcelId: string }[];
    const view = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/courier/parcels/${one[0]!.parcelId}`,
        headers: auth(w, 'courier'),
      })
    ).json();
    expect(view).toMatchObject({ outcome: 'opening' });
    // Another courier's history does not reorder this one's list, and a resident's list has no history at all.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/lockers', headers: auth(w, 'residentA') }))
        .json()
        .map((l: Entry) => l.id),
    ).toEqual(['find-a1', 'find-a2', 'find-b1', 'find-11']);
  });

  it('follows a building renamed in places: search and order use the new name', async () => {
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/buildings/${w.buildingB}`,
      headers: auth(w, 'communityWorker1'),
      payload: { name: '20栋' },
    });
    expect(r.statusCode).toBe(200);
    expect((await find('清淳家园 20栋')).map((l) => l.id)).toEqual(['find-b1']);
    expect(await find('清淳家园 2栋')).toEqual([]);
    const resident = (
      await t.app.inject({ method: 'GET', url: '/api/v1/lockers', headers: auth(w, 'residentA') })
    ).json() as Entry[];
    // 20栋 now sorts after 11栋.
    expect(resident.map((l) => l.id)).toEqual(['find-a1', 'find-a2', 'find-11', 'find-b1']);
  });
});
