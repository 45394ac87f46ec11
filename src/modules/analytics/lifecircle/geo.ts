/** Great-circle distances on WGS-84 coordinates (a sphere of the mean Earth radius is plenty at street scale). */

/** A point in WGS-84 degrees. */
export interface LatLng {
  lat: number;
  lng: number;
}

/** The mean Earth radius in metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** The haversine great-circle distance between two points, in metres. */
export function haversineM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Move a point by metres east and north (local flat approximation; used to lay candidate grids). */
export function moveM(p: LatLng, east: number, north: number): LatLng {
  const dLat = north / (EARTH_RADIUS_M * (Math.PI / 180));
  const dLng = east / (EARTH_RADIUS_M * (Math.PI / 180) * Math.cos(rad(p.lat)));
  return { lat: p.lat + dLat, lng: p.lng + dLng };
}
