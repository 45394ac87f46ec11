/**
 * places' public entry: the place tree other modules read (paths, labels, carriers, halls).
 * Anything not exported here is private to places (ADR 0020).
 */
export {
  areaOf,
  communityAreaResolver,
  placeLabels,
  sitesToList,
  withServingHalls,
  type PlaceLabel,
} from './area.scope.ts';
export { communitiesCovered, placePath, placeResolvers } from './place-path.repository.ts';
export { type CarrierRow } from './places.repository.ts';
export {
  findCarrier,
  findHall,
  findLockerSite,
  listCarriers,
  listHalls,
} from './site.repository.ts';
export { placesRoutes } from './places.routes.ts';
export { PlaceLabelView } from './places.schemas.ts';
export { searchUnits, unitLabels, type UnitLabel } from './unit-lookup.repository.ts';
export { residentDirectory } from './directory.service.ts';
export { getHall } from './amenities.service.ts';
export {
  findCommunity,
  findCompound,
  findSubdistrict,
  listCommunities,
  findGrid,
  listAllCommunities,
  listCompounds,
  listGrids,
  type HallRow,
} from './places.repository.ts';
export { findCarrierByCode, insertCarriers, lockerSitesNear } from './site.repository.ts';
export { findBuilding, findUnit } from './building.repository.ts';
export {
  placeMap,
  type MappedBuilding,
  type MappedFacility,
  type PlaceMap,
} from './location.service.ts';
export {
  carrierNames,
  communityNames,
  hallNames,
  siteNames,
  sitePlaces,
  type SiteNames,
  type SitePlace,
} from './names.repository.ts';
export {
  onPlaceEvent,
  type PlaceEventHandler,
  type PlaceEventMap,
  type RenamedPlaceKind,
} from './place.events.ts';
