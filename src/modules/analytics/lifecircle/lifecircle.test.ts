/**
 * The life-circle API on a real database: coordinates set through the places API
 * (validated ranges), walks and shares computed from them, the planner's proposal, and
 * who may look (the community office and the subdistrict; residents and couriers refused).
 */
import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { moveM } from './geo.ts';

const ORIGIN = { lat: 30.69, lng: 104.03 };
const at = (east: number) => moveM(ORIGIN, east, 0);

describeEachDialect('life circle', (dialect) => {
  const { t, w } = useWorld(dialect);

  const call = (who: WorldUser, method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });

  /** Building A at the origin, building B 500 m east; hall 1 100 m east of A; hall 2 far away; a locker at each building. */
  const place = async () => {
    const puts: [string, { lat: number; lng: number }][] = [
      [`/buildings/${w.buildingA}/location`, at(0)],
      [`/buildings/${w.buildingB}/location`, at(500)],
      [`/halls/${w.hall1}/location`, at(100)],
      [`/locker-sites/${w.siteA}/location`, at(0)],
      [`/locker-sites/${w.siteB}/location`, at(500)],
    ];
    for (const [url, body] of puts) {
      const res = await call('communityWorker1', 'PUT', url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
    const far = await call('officer', 'PUT', `/halls/${w.hall2}/location`, at(3000));
    expect(far.statusCode).toBe(200);
  };

  it('refuses coordinates out of range or malformed, and changes nothing', async () => {
    for (const body of [
      { lat: 91, lng: 104 },
      { lat: -90.5, lng: 104 },
      { lat: 30.69, lng: 180.01 },
      { lat: 30.69, lng: -181 },
      { lat: 30.69 },
      { lat: '30.69', lng: 104 },
      { lat: 30.69, lng: 104, alt: 500 },
    ]) {
      const res = await call('communityWorker1', 'PUT', `/buildings/${w.buildingA}/location`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.message).toBeTruthy();
    }
    const row = await t.database.db
      .selectFrom('buildings')
      .select(['lat', 'lng'])
      .where('id', '=', w.buildingA)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ lat: null, lng: null });
    const missing = await call(
      'communityWorker1',
      'PUT',
      `/halls/${w.users.residentA.id}/location`,
      at(0),
    );
    expect(missing.statusCode).toBe(404);
  });

  it('lets only managers of the place set its coordinates', async () => {
    for (const who of ['residentA', 'courier', 'hallStaff1', 'gridWorker1'] as const) {
      const res = await call(who, 'PUT', `/buildings/${w.buildingA}/location`, at(0));
      expect(res.statusCode, who).toBe(403);
    }
    const other = await call(
      'communityWorker2',
      'PUT',
      `/buildings/${w.buildingA}/location`,
      at(0),
    );
    expect(other.statusCode).toBe(404);
  });

  it('measures every building’s walk to its nearest hall and locker, and the shares', async () => {
    await place();
    const res = await call(
      'communityWorker1',
      'GET',
      `/analytics/lifecircle/communities/${w.community1}`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.settings).toMatchObject({
      detourFactor: 1.3,
      speedMPerMin: 80,
      hallMinutes: 5,
      hallRadiusM: 307.7,
    });
    const a = body.buildings.find((b: { id: string }) => b.id === w.buildingA);
    const b = body.buildings.find((b: { id: string }) => b.id === w.buildingB);
    // A: 100 m straight → 130 m walk → 1.625 min; B: 400 m straight to hall 1 → 520 m → 6.5 min.
    expect(a.nearestHall).toMatchObject({
      id: w.hall1,
      straightM: 100,
      walkM: 130,
      minutes: expect.closeTo(1.625, 1),
    });
    expect(b.nearestHall).toMatchObject({ id: w.hall1, straightM: 400, walkM: 520, minutes: 6.5 });
    expect(b.nearestLocker).toMatchObject({ id: w.siteB, straightM: 0 });
    expect(body.summary).toMatchObject({
      buildings: 2,
      unlocatedBuildings: 0,
      households: 72,
      householdsNearHall: 36,
      shareNearHall: 0.5,
      householdsNearLocker: 72,
      shareNearLocker: 1,
    });
    expect(body.halls.map((h: { id: string }) => h.id)).toEqual([w.hall1]);

    // A slower walk (elderly, 50 m/min) leaves A still within 5 minutes, B further out.
    const slow = await call(
      'communityWorker1',
      'GET',
      `/analytics/lifecircle/communities/${w.community1}?speedMPerMin=50`,
    );
    expect(
      slow.json().buildings.find((x: { id: string }) => x.id === w.buildingB).nearestHall.minutes,
    ).toBe(10.4);
  });

  it('gives the subdistrict per community and in total', async () => {
    const res = await call('officer', 'GET', `/analytics/lifecircle/subdistricts/${w.subdistrict}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.scope).toMatchObject({ kind: 'subdistrict', id: w.subdistrict });
    const c1 = body.communities.find((c: { id: string }) => c.id === w.community1);
    const c2 = body.communities.find((c: { id: string }) => c.id === w.community2);
    expect(c1.summary).toMatchObject({ households: 72, shareNearHall: 0.5 });
    // Community 2's building has no coordinates yet: counted apart, not in the shares.
    expect(c2.summary).toMatchObject({
      buildings: 1,
      unlocatedBuildings: 1,
      households: 0,
      shareNearHall: 0,
    });
    expect(body.summary).toMatchObject({ buildings: 3, unlocatedBuildings: 1, households: 72 });
  });

  it('proposes the next hall where it covers the most uncovered households', async () => {
    const res = await call(
      'communityWorker1',
      'GET',
      `/analytics/lifecircle/communities/${w.community1}/plan?count=2`,
    );
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan).toMatchObject({
      kind: 'hall',
      candidates: 'buildings',
      households: 72,
      coveredBefore: 36,
      shareBefore: 0.5,
    });
    // Only building B is uncovered: one proposal (at B), then nothing is left to gain.
    expect(plan.proposals).toHaveLength(1);
    expect(plan.proposals[0]).toMatchObject({
      rank: 1,
      buildingId: w.buildingB,
      gainHouseholds: 36,
      coveredAfter: 72,
      shareAfter: 1,
    });
    expect(plan.proposals[0].label).toContain('2栋');

    const grid = await call(
      'officer',
      'GET',
      `/analytics/lifecircle/subdistricts/${w.subdistrict}/plan?count=2&candidates=grid&gridStepM=50`,
    );
    expect(grid.statusCode).toBe(200);
    expect(grid.json().proposals[0]).toMatchObject({ buildingId: null, gainHouseholds: 36 });
  });

  it('refuses bad planner and walk settings with a message', async () => {
    for (const q of [
      'count=0',
      'count=11',
      'kind=park',
      'detourFactor=0.5',
      'speedMPerMin=1000',
      'gridStepM=5',
      'hallMinutes=0',
    ]) {
      const res = await call(
        'communityWorker1',
        'GET',
        `/analytics/lifecircle/communities/${w.community1}/plan?${q}`,
      );
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.message).toBeTruthy();
    }
  });

  it('shows the life circle to the community office and the subdistrict only', async () => {
    const community = `/analytics/lifecircle/communities/${w.community1}`;
    const subdistrict = `/analytics/lifecircle/subdistricts/${w.subdistrict}`;
    for (const who of ['residentA', 'courier', 'partner1', 'hallStaff1', 'gridWorker1'] as const) {
      for (const url of [community, `${community}/plan`, subdistrict, `${subdistrict}/plan`]) {
        const res = await call(who, 'GET', url);
        expect(res.statusCode, `${who} ${url}`).toBe(403);
      }
    }
    expect((await call('communityWorker2', 'GET', community)).statusCode).toBe(404);
    expect((await call('communityWorker1', 'GET', subdistrict)).statusCode).toBe(404);
    expect((await call('admin', 'GET', subdistrict)).statusCode).toBe(200);
    expect((await call('officer', 'GET', community)).statusCode).toBe(200);
  });
});
