/**
 * Setting a place's coordinates (ADR 0030) and reading the map of some communities'
 * places for the life circle. A change is audited in its own transaction.
 */
import type { Executor } from '../../db/database.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import * as repo from './location.repository.ts';
import type { LocatedKind, LocationView } from './location.schemas.ts';
import { type Actor, auditPlace } from './places.service.ts';

const TABLE: Record<LocatedKind, repo.LocatedTable> = {
  compound: 'compounds',
  building: 'buildings',
  hall: 'halls',
  locker_site: 'locker_sites',
};
const LABEL: Record<LocatedKind, string> = {
  compound: 'That compound',
  building: 'That building',
  hall: 'That service hall',
  locker_site: 'That locker site',
};

/** Set where a place stands (WGS-84 degrees; the routes check the ranges). */
export async function setPlaceLocation(
  deps: AppDeps,
  actor: Actor,
  kind: LocatedKind,
  id: string,
  at: { lat: number; lng: number },
): Promise<LocationView> {
  return deps.db.transaction().execute(async (trx) => {
    const communityId = await repo.setLocation(trx, TABLE[kind], id, at.lat, at.lng);
    if (!communityId) throw notFound(LABEL[kind]);
    await auditPlace(deps, trx, actor, `${kind}.locate`, { kind, id, communityId }, at);
    return { kind, id, lat: at.lat, lng: at.lng };
  });
}

/** Everything the life circle draws for some communities: buildings (with households), halls, locker sites. */
export interface PlaceMap {
  buildings: repo.MappedBuilding[];
  halls: repo.MappedFacility[];
  lockerSites: repo.MappedFacility[];
}

/** The map of some communities' places, read in one go. */
export async function placeMap(db: Executor, communityIds: readonly string[]): Promise<PlaceMap> {
  return {
    buildings: await repo.mappedBuildings(db, communityIds),
    halls: await repo.mappedFacilities(db, 'halls', communityIds),
    lockerSites: await repo.mappedFacilities(db, 'locker_sites', communityIds),
  };
}

export type { MappedBuilding, MappedFacility } from './location.repository.ts';
