/**
 * The coverage planner against brute force on small random worlds (fast-check, fixed seed).
 * What is asserted, exactly:
 *  1. On any world (≤ 9 candidates, k ≤ 3): greedy's total equals the weight its picks
 *     cover, never exceeds the brute-force optimum, and reaches ≥ (1 − 1/e) × optimum.
 *  2. With k = 1 greedy equals the optimum.
 *  3. On worlds whose candidates' sets are pairwise disjoint (clusters further apart than
 *     two radii, one candidate per cluster centre), greedy equals the optimum for every k.
 *  4. The same bounds hold for planSites on geographic worlds (random buildings around
 *     Jinquan, households as weights), against a brute force built independently from
 *     haversine distances.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForceMaxCoverage, coverageOf, greedyMaxCoverage } from './coverage.ts';
import { haversineM, moveM } from './geo.ts';
import { measureBuildings } from './life-circle.ts';
import { coverRadiusM, DEFAULT_WALK } from './lifecircle.policy.ts';
import { planSites } from './planner.ts';

const RUNS = { seed: 20261205, numRuns: 200 };
const BOUND = 1 - 1 / Math.E;

/** A random abstract world: up to 12 demand points, up to 9 candidate sets. */
const world = fc
  .record({
    weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 12 }),
    k: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ weights, k }) =>
    fc.record({
      weights: fc.constant(weights),
      k: fc.constant(k),
      sets: fc.array(
        fc.uniqueArray(fc.integer({ min: 0, max: weights.length - 1 }), {
          maxLength: weights.length,
        }),
        { minLength: 1, maxLength: 9 },
      ),
      covered: fc.array(fc.boolean(), { minLength: weights.length, maxLength: weights.length }),
    }),
  );

describe('greedy maximum coverage', () => {
  it('reaches at least (1 − 1/e) of the brute-force optimum, never more than it', () => {
    fc.assert(
      fc.property(world, (p) => {
        const g = greedyMaxCoverage(p, p.k);
        const opt = bruteForceMaxCoverage(p, p.k);
        expect(g.total).toBe(coverageOf(p, g.picks));
        expect(g.total).toBeLessThanOrEqual(opt);
        expect(g.total).toBeGreaterThanOrEqual(BOUND * opt - 1e-9);
      }),
      RUNS,
    );
  });

  it('equals the optimum when it picks one site', () => {
    fc.assert(
      fc.property(world, (p) => {
        expect(greedyMaxCoverage(p, 1).total).toBe(bruteForceMaxCoverage(p, 1));
      }),
      RUNS,
    );
  });

  it('equals the optimum when the candidates cover disjoint sets', () => {
    // Each demand point belongs to one cluster; candidate c covers exactly cluster c.
    const disjoint = fc
      .record({
        clusters: fc.array(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        k: fc.integer({ min: 1, max: 4 }),
      })
      .map(({ clusters, k }) => {
        const weights: number[] = [];
        const sets = clusters.map((ws) => ws.map((w) => weights.push(w) - 1));
        return { weights, sets, k };
      });
    fc.assert(
      fc.property(disjoint, (p) => {
        expect(greedyMaxCoverage(p, p.k).total).toBe(bruteForceMaxCoverage(p, p.k));
      }),
      RUNS,
    );
  });

  it('stops early instead of proposing a site that covers no one', () => {
    const p = { weights: [5, 5], sets: [[0], [0], [1]], covered: [false, true] };
    expect(greedyMaxCoverage(p, 3)).toEqual({ picks: [0], gains: [5], total: 5 });
  });

  it('has a case where greedy is not optimal, so the bound is the honest claim', () => {
    // l1 = r1 = 3, l2 = r2 = 2; the middle site covers l1 and r1 (6), the outer ones 5 each.
    // Greedy takes the middle (6) and then 2 more; the two outer sites together cover 10.
    const p = {
      weights: [3, 2, 3, 2],
      sets: [
        [0, 2],
        [0, 1],
        [2, 3],
      ],
    };
    expect(greedyMaxCoverage(p, 2)).toEqual({ picks: [0, 1], gains: [6, 2], total: 8 });
    expect(bruteForceMaxCoverage(p, 2)).toBe(10);
  });
});

describe('planSites on geographic worlds', () => {
  const origin = { lat: 30.69, lng: 104.03 };
  const geoWorld = fc.record({
    buildings: fc.array(
      fc.record({
        east: fc.integer({ min: 0, max: 1200 }),
        south: fc.integer({ min: 0, max: 900 }),
        households: fc.integer({ min: 10, max: 300 }),
      }),
      { minLength: 1, maxLength: 9 },
    ),
    hall: fc.option(
      fc.record({
        east: fc.integer({ min: 0, max: 1200 }),
        south: fc.integer({ min: 0, max: 900 }),
      }),
    ),
    k: fc.integer({ min: 1, max: 3 }),
  });

  it('reaches (1 − 1/e) of a brute force over the same candidates, and never exceeds it', () => {
    fc.assert(
      fc.property(geoWorld, ({ buildings, hall, k }) => {
        const map = {
          buildings: buildings.map((b, i) => ({
            id: `b${i}`,
            communityId: 'c',
            compoundId: 'x',
            compoundName: 'x',
            name: `${i}`,
            households: b.households,
            ...moveM(origin, b.east, -b.south),
          })),
          halls: hall
            ? [{ id: 'h', communityId: 'c', name: 'h', ...moveM(origin, hall.east, -hall.south) }]
            : [],
          lockerSites: [],
        };
        const measured = measureBuildings(map, DEFAULT_WALK);
        const plan = planSites(measured, DEFAULT_WALK, {
          kind: 'hall',
          count: k,
          candidates: 'buildings',
          gridStepM: 100,
        });
        // An independent brute force: a building is covered when within the radius of a chosen building or the hall.
        const r = coverRadiusM(DEFAULT_WALK.hallMinutes, DEFAULT_WALK);
        const pts = map.buildings;
        const covered = pts.map((b) => map.halls.some((h) => haversineM(b, h) <= r));
        const problem = {
          weights: pts.map((b) => b.households),
          covered,
          sets: pts.map((c) => pts.flatMap((d, i) => (haversineM(c, d) <= r ? [i] : []))),
        };
        const opt = bruteForceMaxCoverage(problem, k);
        const gain = plan.proposals.reduce((a, x) => a + x.gainHouseholds, 0);
        expect(plan.coveredBefore).toBe(
          problem.weights.reduce((a, w, i) => a + (covered[i] ? w : 0), 0),
        );
        expect(gain).toBeLessThanOrEqual(opt);
        expect(gain).toBeGreaterThanOrEqual(BOUND * opt - 1e-9);
        if (k === 1) expect(gain).toBe(opt);
      }),
      { seed: 20261205, numRuns: 150 },
    );
  });

  it('lays a grid of candidates over the area when asked', () => {
    const b = (east: number) => ({
      id: `b${east}`,
      communityId: 'c',
      compoundId: 'x',
      compoundName: 'x',
      name: 'b',
      households: 100,
      ...moveM(origin, east, 0),
    });
    const measured = measureBuildings(
      { buildings: [b(0), b(2000)], halls: [], lockerSites: [] },
      DEFAULT_WALK,
    );
    const plan = planSites(measured, DEFAULT_WALK, {
      kind: 'hall',
      count: 2,
      candidates: 'grid',
      gridStepM: 100,
    });
    expect(plan.candidateCount).toBeGreaterThan(20);
    expect(plan.proposals.map((x) => x.gainHouseholds)).toEqual([100, 100]);
    expect(plan.proposals.at(-1)!.shareAfter).toBe(1);
  });
});
