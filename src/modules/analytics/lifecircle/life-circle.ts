/**
 * The 5-minute life circle, measured (ADR 0030): for every located building, the walk to
 * its nearest hall and locker site, and the share of households within the target walk.
 * Households are the weight ("residents" below means households: the unit rows count
 * them; people per household are not recorded). Buildings without coordinates are
 * counted apart and left out of the shares.
 */
import type { MappedBuilding, MappedFacility, PlaceMap } from '../../places/index.ts';
import { haversineM, type LatLng } from './geo.ts';
import { type WalkSettings, walkingM, walkingMinutes } from './lifecircle.policy.ts';

/** The walk from a building to its nearest facility of one kind. */
export interface Nearest {
  id: string;
  straightM: number;
  walkM: number;
  minutes: number;
}

/** A building with its walks. */
export interface MeasuredBuilding extends MappedBuilding {
  nearestHall: Nearest | null;
  nearestLocker: Nearest | null;
}

/** Shares of households within the target walks, over located buildings. */
export interface CircleSummary {
  buildings: number;
  unlocatedBuildings: number;
  households: number;
  householdsNearHall: number;
  shareNearHall: number;
  householdsNearLocker: number;
  shareNearLocker: number;
  /** The household-weighted median walk to the nearest hall (null with no located building or hall). */
  medianHallMinutes: number | null;
}

type Located<T> = T & LatLng;

/** Whether a place has coordinates. */
export function located<T extends { lat: number | null; lng: number | null }>(
  x: T,
): x is Located<T> {
  return x.lat !== null && x.lng !== null;
}

/** The nearest of some facilities to a point (ties: the first listed), or null when there are none. */
export function nearest(
  from: LatLng,
  facilities: readonly Located<MappedFacility>[],
  s: WalkSettings,
): Nearest | null {
  let best: Located<MappedFacility> | null = null;
  let bestM = Infinity;
  for (const f of facilities) {
    const m = haversineM(from, f);
    if (m < bestM) {
      best = f;
      bestM = m;
    }
  }
  if (!best) return null;
  return {
    id: best.id,
    straightM: bestM,
    walkM: walkingM(bestM, s),
    minutes: walkingMinutes(bestM, s),
  };
}

/** Every building with its nearest hall and locker site (facilities without coordinates are ignored). */
export function measureBuildings(map: PlaceMap, s: WalkSettings): MeasuredBuilding[] {
  const halls = map.halls.filter(located);
  const lockers = map.lockerSites.filter(located);
  return map.buildings.map((b) =>
    located(b)
      ? { ...b, nearestHall: nearest(b, halls, s), nearestLocker: nearest(b, lockers, s) }
      : { ...b, nearestHall: null, nearestLocker: null },
  );
}

/** Whether a walk is within a target number of minutes (a tolerance for float noise). */
export function within(n: Nearest | null, minutes: number): boolean {
  return n !== null && n.minutes <= minutes + 1e-9;
}

/** The shares for a set of measured buildings. */
export function summarise(buildings: readonly MeasuredBuilding[], s: WalkSettings): CircleSummary {
  const placed = buildings.filter(located);
  const households = placed.reduce((a, b) => a + b.households, 0);
  const sum = (pred: (b: MeasuredBuilding) => boolean) =>
    placed.filter(pred).reduce((a, b) => a + b.households, 0);
  const nearHall = sum((b) => within(b.nearestHall, s.hallMinutes));
  const nearLocker = sum((b) => within(b.nearestLocker, s.lockerMinutes));
  return {
    buildings: buildings.length,
    unlocatedBuildings: buildings.length - placed.length,
    households,
    householdsNearHall: nearHall,
    shareNearHall: households ? nearHall / households : 0,
    householdsNearLocker: nearLocker,
    shareNearLocker: households ? nearLocker / households : 0,
    medianHallMinutes: weightedMedian(
      placed.filter((b) => b.nearestHall).map((b) => [b.nearestHall!.minutes, b.households]),
    ),
  };
}

/** The weighted median of [value, weight] pairs (the lower median on a tie). */
export function weightedMedian(pairs: readonly (readonly [number, number])[]): number | null {
  const sorted = pairs.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((a, [, w]) => a + w, 0);
  if (total === 0) return null;
  let acc = 0;
  for (const [v, w] of sorted) {
    acc += w;
    if (acc >= total / 2) return v;
  }
  return sorted.at(-1)![0];
}
