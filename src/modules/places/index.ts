/** The places module's public entry: what other modules may use. */
export { placePath } from './place-path.repository.ts';
export { residentDirectory } from './directory.service.ts';
export { getHall } from './amenities.service.ts';
export {
  findCarrierByCode,
  findHall,
  findUnit,
  insertCarriers,
  listAllCommunities,
  listCompounds,
  listHalls,
  lockerSitesNear,
} from './places.repository.ts';
export type { HallRow } from './places.repository.ts';
