/**
 * The rules of the 5-minute life circle (ADR 0030) and their settings. A resident walks
 * along streets, not the straight line: walking distance = great-circle distance × a
 * detour factor. At 1.3 and 80 m/min, five minutes' walk (400 m) reaches 308 m in a
 * straight line: the "300 m / 5 minutes" of the brief.
 */

/** How the life circle measures walking; each may be overridden per request within bounds. */
export interface WalkSettings {
  /** Walking distance ÷ straight-line distance. 1.3 is the usual figure for a street grid with compounds' gates. */
  detourFactor: number;
  /** Metres walked per minute: 80 m/min (4.8 km/h) is an unhurried adult; elderly residents walk slower. */
  speedMPerMin: number;
  /** The target walk to a service hall, in minutes. */
  hallMinutes: number;
  /** The target walk to a locker (they stand at unit doors, so the bar is lower). */
  lockerMinutes: number;
}

export const DEFAULT_WALK: Readonly<WalkSettings> = Object.freeze({
  detourFactor: 1.3,
  speedMPerMin: 80,
  hallMinutes: 5,
  lockerMinutes: 2,
});

/** Walking metres for a straight-line distance. */
export function walkingM(straightM: number, s: WalkSettings): number {
  return straightM * s.detourFactor;
}

/** Walking minutes for a straight-line distance. */
export function walkingMinutes(straightM: number, s: WalkSettings): number {
  return walkingM(straightM, s) / s.speedMPerMin;
}

/** The straight-line radius a facility covers within `minutes` of walking (the map's circles). */
export function coverRadiusM(minutes: number, s: WalkSettings): number {
  return (minutes * s.speedMPerMin) / s.detourFactor;
}

/** Settings from a request's overrides, falling back to the defaults. */
export function walkSettings(q: Partial<WalkSettings>): WalkSettings {
  return {
    detourFactor: q.detourFactor ?? DEFAULT_WALK.detourFactor,
    speedMPerMin: q.speedMPerMin ?? DEFAULT_WALK.speedMPerMin,
    hallMinutes: q.hallMinutes ?? DEFAULT_WALK.hallMinutes,
    lockerMinutes: q.lockerMinutes ?? DEFAULT_WALK.lockerMinutes,
  };
}
