/** The parcels module's public entry: other modules use parcels only through these. */
export { deposit } from './deposit.service.ts';
export type { DepositInput, Depositor } from './deposit.service.ts';
export { findParcel } from './parcel.repository.ts';
