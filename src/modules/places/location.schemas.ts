/**
 * Coordinates on places (ADR 0030): WGS-84 degrees, as a phone's GPS or an online map
 * gives them. Bounds are the valid ranges of latitude and longitude.
 */
import { type Static, Type } from 'typebox';
import { Id, Obj } from '../../platform/http/schemas.ts';

export const Latitude = Type.Number({
  minimum: -90,
  maximum: 90,
  description: 'WGS-84 latitude in degrees, −90 to 90 (Jinquan ≈ 30.69)',
});
export const Longitude = Type.Number({
  minimum: -180,
  maximum: 180,
  description: 'WGS-84 longitude in degrees, −180 to 180 (Jinquan ≈ 104.03)',
});

export const SetLocation = Obj({ lat: Latitude, lng: Longitude });
export type SetLocation = Static<typeof SetLocation>;

export const LockerSiteParams = Obj({ siteId: Id });

export const LocatedKind = Type.Enum(['compound', 'building', 'hall', 'locker_site']);
export type LocatedKind = Static<typeof LocatedKind>;

export const LocationView = Obj({ kind: LocatedKind, id: Id, lat: Latitude, lng: Longitude });
export type LocationView = Static<typeof LocationView>;
