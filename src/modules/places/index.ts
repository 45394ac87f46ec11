/** The places module's public entry: what other modules may use. */
export { placePath } from './place-path.repository.ts';
export { residentDirectory } from './directory.service.ts';
export { getHall } from './amenities.service.ts';
export { unitLabels, searchUnits, type UnitLabel } from './unit-lookup.repository.ts';
export {
  findBuilding,
  findCarrierByCode,
  findCommunity,
  findGrid,
  findHall,
  findUnit,
  insertCarriers,
  listAllCommunities,
  listCompounds,
  listGrids,
  listHalls,
  lockerSitesNear,
} from './places.repository.ts';
export type { HallRow } from './places.repository.ts';
