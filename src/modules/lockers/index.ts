/** The lockers module's public entry: other modules use lockers only through these. */
export { activeCabinetsAt } from './directory.repository.ts';
