/** The demo's coordinates: inside Jinquan, compounds a few hundred metres apart, and the life circle they give. */
import { describe, expect, it } from 'vitest';
import { haversineM } from '../modules/analytics/lifecircle/geo.ts';
import { measureBuildings, summarise } from '../modules/analytics/lifecircle/life-circle.ts';
import { DEFAULT_WALK } from '../modules/analytics/lifecircle/lifecircle.policy.ts';
import { COMMUNITIES } from './jinquan.ts';
import * as M from './jinquan-map.ts';

const [qsh, sx] = COMMUNITIES as [(typeof COMMUNITIES)[0], (typeof COMMUNITIES)[0]];

/** The demo community as the life circle reads it. */
function demoMap(c: typeof qsh) {
  const buildings = Array.from({ length: c.compound.buildings }, (_, i) => ({
    id: `${c.key}-b${i + 1}`,
    communityId: c.key,
    compoundId: c.key,
    compoundName: c.compound.name,
    name: `${i + 1}栋`,
    households: c.compound.unitsPerBuilding * c.compound.floors * c.compound.householdsPerFloor,
    ...M.buildingLocation(c, i + 1),
  }));
  const lockerSites = buildings.flatMap((b, i) =>
    Array.from({ length: c.compound.unitsPerBuilding }, (_, u) => ({
      id: `${b.id}-u${u + 1}`,
      communityId: c.key,
      name: 'site',
      ...M.lockerSiteLocation(c, i + 1, u + 1),
    })),
  );
  return {
    buildings,
    lockerSites,
    halls: [{ id: `${c.key}-hall`, communityId: c.key, name: 'hall', ...M.hallLocation(c) }],
  };
}

describe('the demo map of Jinquan', () => {
  it('puts every place inside Jinquan subdistrict (about 30.69 N, 104.03 E)', () => {
    for (const c of COMMUNITIES)
      for (let b = 1; b <= c.compound.buildings; b++) {
        const p = M.buildingLocation(c, b);
        expect(p.lat).toBeGreaterThan(30.68);
        expect(p.lat).toBeLessThan(30.7);
        expect(p.lng).toBeGreaterThan(104.02);
        expect(p.lng).toBeLessThan(104.04);
      }
  });

  it('lays the two compounds a few hundred metres apart, the same on every call', () => {
    const d = haversineM(M.compoundLocation(qsh), M.compoundLocation(sx));
    expect(d).toBeGreaterThan(300);
    expect(d).toBeLessThan(1000);
    expect(M.buildingLocation(qsh, 17)).toEqual(M.buildingLocation(qsh, 17));
    expect(M.buildingLocation(qsh, 1)).toEqual({ lat: 30.6952, lng: 104.0248 });
  });

  it('leaves the west of 清淳家园 beyond a 5-minute walk, so the planner has work to do', () => {
    const q = summarise(measureBuildings(demoMap(qsh), DEFAULT_WALK), DEFAULT_WALK);
    const s = summarise(measureBuildings(demoMap(sx), DEFAULT_WALK), DEFAULT_WALK);
    expect(q.shareNearHall).toBeGreaterThan(0.2);
    expect(q.shareNearHall).toBeLessThan(0.7);
    expect(q.shareNearLocker).toBe(1);
    expect(s.shareNearHall).toBe(1);
  });
});
