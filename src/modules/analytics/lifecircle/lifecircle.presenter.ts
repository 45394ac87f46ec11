/** Life-circle results → what leaves the server: rounded metres and minutes, named proposals. */
import type { MappedFacility } from '../../places/index.ts';
import type { CircleSummary, MeasuredBuilding, Nearest } from './life-circle.ts';
import { coverRadiusM, type WalkSettings } from './lifecircle.policy.ts';
import type { Plan } from './planner.ts';
import type { PlanView, Summary } from './lifecircle.schemas.ts';

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The settings in force, with the straight-line radii they imply. */
export function presentSettings(s: WalkSettings) {
  return {
    ...s,
    hallRadiusM: r1(coverRadiusM(s.hallMinutes, s)),
    lockerRadiusM: r1(coverRadiusM(s.lockerMinutes, s)),
  };
}

const presentNearest = (n: Nearest | null) =>
  n && { id: n.id, straightM: r1(n.straightM), walkM: r1(n.walkM), minutes: r2(n.minutes) };

/** A measured building. */
export function presentBuilding(b: MeasuredBuilding) {
  return {
    id: b.id,
    communityId: b.communityId,
    compoundId: b.compoundId,
    compoundName: b.compoundName,
    name: b.name,
    lat: b.lat,
    lng: b.lng,
    households: b.households,
    nearestHall: presentNearest(b.nearestHall),
    nearestLocker: presentNearest(b.nearestLocker),
  };
}

/** A hall or locker site on the map. */
export function presentFacility(f: MappedFacility) {
  return { id: f.id, communityId: f.communityId, name: f.name, lat: f.lat, lng: f.lng };
}

/** Shares rounded to four places. */
export function presentSummary(x: CircleSummary): Summary {
  return {
    ...x,
    shareNearHall: r4(x.shareNearHall),
    shareNearLocker: r4(x.shareNearLocker),
    medianHallMinutes: x.medianHallMinutes === null ? null : r2(x.medianHallMinutes),
  };
}

/** A plan, each proposal labelled by its building or its grid point. */
export function presentPlan(
  p: Plan,
  candidates: 'buildings' | 'grid',
  names: ReadonlyMap<string, string>,
): PlanView {
  return {
    kind: p.kind,
    candidates,
    minutes: p.minutes,
    radiusM: r1(p.radiusM),
    candidateCount: p.candidateCount,
    households: p.households,
    coveredBefore: p.coveredBefore,
    shareBefore: r4(p.households ? p.coveredBefore / p.households : 0),
    proposals: p.proposals.map((x) => ({
      rank: x.rank,
      lat: Math.round(x.lat * 1e6) / 1e6,
      lng: Math.round(x.lng * 1e6) / 1e6,
      buildingId: x.buildingId,
      label: (x.buildingId && names.get(x.buildingId)) ?? `${x.lat.toFixed(5)},${x.lng.toFixed(5)}`,
      gainHouseholds: x.gainHouseholds,
      coveredAfter: x.coveredAfter,
      shareAfter: r4(x.shareAfter),
    })),
  };
}
