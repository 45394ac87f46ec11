/** The places module's public entry: what other modules may use. */
export { placePath } from './place-path.repository.ts';
export { residentDirectory } from './directory.service.ts';
export { getHall } from './amenities.service.ts';
export { listAllCommunities, listCompounds, listHalls } from './places.repository.ts';
