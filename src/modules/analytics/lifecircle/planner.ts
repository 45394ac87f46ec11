/**
 * The coverage planner (ADR 0030): where the next N halls (or lockers) should go to bring
 * the most uncovered households within the target walk. Candidates are the buildings
 * themselves (a hall opens in a ground-floor shop) or a square grid over the area;
 * greedy maximum coverage (coverage.ts) picks among them.
 */
import { greedyMaxCoverage } from './coverage.ts';
import { haversineM, type LatLng, moveM } from './geo.ts';
import { located, type MeasuredBuilding, within } from './life-circle.ts';
import { coverRadiusM, type WalkSettings } from './lifecircle.policy.ts';

/** What to plan. */
export interface PlanRequest {
  kind: 'hall' | 'locker';
  count: number;
  candidates: 'buildings' | 'grid';
  /** Grid spacing in metres (grid candidates only). */
  gridStepM: number;
}

/** One proposed site, in the order greedy chose it. */
export interface Proposal {
  rank: number;
  lat: number;
  lng: number;
  /** The building the site stands at (building candidates), else null. */
  buildingId: string | null;
  gainHouseholds: number;
  coveredAfter: number;
  shareAfter: number;
}

/** The planner's answer. */
export interface Plan {
  kind: 'hall' | 'locker';
  minutes: number;
  radiusM: number;
  candidateCount: number;
  households: number;
  coveredBefore: number;
  proposals: Proposal[];
}

/** The most candidates a grid may have; a wider area gets a coarser grid. */
export const MAX_GRID_CANDIDATES = 2500;

/** Grid points over the buildings' bounding box, padded by half a step. */
export function gridCandidates(points: readonly LatLng[], stepM: number): LatLng[] {
  if (points.length === 0) return [];
  const south = Math.min(...points.map((p) => p.lat));
  const north = Math.max(...points.map((p) => p.lat));
  const west = Math.min(...points.map((p) => p.lng));
  const east = Math.max(...points.map((p) => p.lng));
  const sw = { lat: south, lng: west };
  const widthM = haversineM(sw, { lat: south, lng: east });
  const heightM = haversineM(sw, { lat: north, lng: west });
  let step = stepM;
  while (((widthM + step) / step + 1) * ((heightM + step) / step + 1) > MAX_GRID_CANDIDATES)
    step *= 1.5;
  const out: LatLng[] = [];
  for (let y = -step / 2; y <= heightM + step / 2; y += step)
    for (let x = -step / 2; x <= widthM + step / 2; x += step) out.push(moveM(sw, x, y));
  return out;
}

/**
 * Propose where the next facilities go. The buildings' nearest walks (measureBuildings)
 * say what today's facilities already cover; only the rest counts as gain.
 */
export function planSites(
  buildings: readonly MeasuredBuilding[],
  s: WalkSettings,
  req: PlanRequest,
): Plan {
  const minutes = req.kind === 'hall' ? s.hallMinutes : s.lockerMinutes;
  const radiusM = coverRadiusM(minutes, s);
  const demand = buildings.filter(located);
  const weights = demand.map((b) => b.households);
  const covered = demand.map((b) =>
    within(req.kind === 'hall' ? b.nearestHall : b.nearestLocker, minutes),
  );
  const sites: (LatLng & { buildingId: string | null })[] =
    req.candidates === 'buildings'
      ? demand.map((b) => ({ lat: b.lat, lng: b.lng, buildingId: b.id }))
      : gridCandidates(demand, req.gridStepM).map((p) => ({ ...p, buildingId: null }));
  const sets = sites.map((c) =>
    demand.flatMap((d, i) => (haversineM(c, d) <= radiusM + 1e-6 ? [i] : [])),
  );
  const result = greedyMaxCoverage({ weights, sets, covered }, req.count);
  const households = weights.reduce((a, b) => a + b, 0);
  const coveredBefore = weights.reduce((a, w, i) => a + (covered[i] ? w : 0), 0);
  let acc = coveredBefore;
  return {
    kind: req.kind,
    minutes,
    radiusM,
    candidateCount: sites.length,
    households,
    coveredBefore,
    proposals: result.picks.map((c, i) => {
      acc += result.gains[i]!;
      const site = sites[c]!;
      return {
        rank: i + 1,
        lat: site.lat,
        lng: site.lng,
        buildingId: site.buildingId,
        gainHouseholds: result.gains[i]!,
        coveredAfter: acc,
        shareAfter: households ? acc / households : 0,
      };
    }),
  };
}
