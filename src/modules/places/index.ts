/** The places module's public entry: what other modules may use. */
export { placePath } from './place-path.repository.ts';
export { residentDirectory } from './directory.service.ts';
export { getHall } from './amenities.service.ts';
export { unitLabels, searchUnits, type UnitLabel } from './unit-lookup.repository.ts';
export {
  findBuilding,
  findCommunity,
  findGrid,
  findHall,
  findUnit,
  listAllCommunities,
  listCompounds,
  listGrids,
  listHalls,
} from './places.repository.ts';
