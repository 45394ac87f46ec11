/**
 * Where the demo's places stand (ADR 0030): plausible WGS-84 coordinates in Jinquan
 * subdistrict, Chengdu (around 30.69 N, 104.03 E). Each compound is a grid of buildings
 * laid out from its north-west corner; the two compounds are about 600 m apart. Pure and
 * deterministic, so the life circle's figures are the same on every seed.
 */
import type { CommunityKey, DemoCommunity } from './jinquan.ts';

/** A point in WGS-84 degrees. */
export interface LatLng {
  lat: number;
  lng: number;
}

interface CompoundLayout {
  /** The north-west corner of the compound. */
  origin: LatLng;
  /** Buildings per row, west to east; rows run north to south. */
  columns: number;
  /** Metres between building centres, east-west and north-south. */
  dx: number;
  dy: number;
  /** The hall, in metres east and south of the origin. */
  hall: { east: number; south: number };
}

const LAYOUT: Record<CommunityKey, CompoundLayout> = {
  // 清淳家园: 10 × 4 buildings, 765 m × 240 m; the hall on the east gate's street front, so
  // the western rows lie beyond a 5-minute walk (what the planner is for).
  qsh: {
    origin: { lat: 30.6952, lng: 104.0248 },
    columns: 10,
    dx: 85,
    dy: 80,
    hall: { east: 800, south: 120 },
  },
  // 两河锦地: 5 × 4 buildings south-east of 清淳家园; the hall at its south gate.
  sx: {
    origin: { lat: 30.6905, lng: 104.0335 },
    columns: 5,
    dx: 50,
    dy: 55,
    hall: { east: 100, south: 200 },
  },
};

const M_PER_DEG_LAT = 111_320;

/** Move a point by metres east and south (a flat approximation, fine over a few km). */
export function offset(p: LatLng, east: number, south: number): LatLng {
  const mPerDegLng = M_PER_DEG_LAT * Math.cos((p.lat * Math.PI) / 180);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return { lat: round(p.lat - south / M_PER_DEG_LAT), lng: round(p.lng + east / mPerDegLng) };
}

/** Building `b` (1-based) of a demo compound. */
export function buildingLocation(c: DemoCommunity, b: number): LatLng {
  const l = LAYOUT[c.key];
  const i = b - 1;
  return offset(l.origin, (i % l.columns) * l.dx, Math.floor(i / l.columns) * l.dy);
}

/** The locker site at unit `u` (1-based) of building `b`: the unit doors are 12 m apart along the building. */
export function lockerSiteLocation(c: DemoCommunity, b: number, u: number): LatLng {
  const spread = (u - (c.compound.unitsPerBuilding + 1) / 2) * 12;
  return offset(buildingLocation(c, b), spread, 8);
}

/** The community's service hall. */
export function hallLocation(c: DemoCommunity): LatLng {
  const l = LAYOUT[c.key];
  return offset(l.origin, l.hall.east, l.hall.south);
}

/** The compound's centre (the middle of its building grid). */
export function compoundLocation(c: DemoCommunity): LatLng {
  const l = LAYOUT[c.key];
  const rows = Math.ceil(c.compound.buildings / l.columns);
  return offset(l.origin, ((l.columns - 1) * l.dx) / 2, ((rows - 1) * l.dy) / 2);
}
