/**
 * lockers' public entry: what other modules and the composition roots may use. Lockers own
 * compartment state; others change it only through the transitions exported here (ADR 0020).
 */
export { clearAlert, openAlertOfKind, raiseAlert, resolveAlertIn } from './alert.service.ts';
export type { AlertRow } from './alert.repository.ts';
export {
  cabinetLabels,
  lockerPlaceNames,
  lockerPlaceCached,
  lockerPlaces,
  type LockerPlace,
} from './cabinet.presenter.ts';
export {
  adoptSyncRevision,
  bumpSyncRevision,
  setContractVersion,
  type SyncTarget,
} from './code-sync.repository.ts';
export { findCommand, type CommandRow } from './command.repository.ts';
export { enqueueCommand, stableCommandId } from './command.service.ts';
export { freeCompartment, occupyCompartment, reserveCompartment } from './compartment.service.ts';
export { CredentialRelay, CredentialWatch } from './credentials.runtime.ts';
export { DEVICE_AUTH_CACHE_MS, MqttLogins } from './device-auth.service.ts';
export { activeCabinetsAt, lockerIdsAtSites } from './directory.repository.ts';
export { lockerDirectoryRoutes } from './directory.routes.ts';
export type { RecentDeposit } from './directory-order.ts';
export { subscribeLockersToPlaces } from './site-place.service.ts';
export { lockerFactsPage, type EventRow as LockerFactRow } from './event.repository.ts';
export { ingest } from './ingest.service.ts';
export type { LockerEventHandler, LockerEventMap, LockerEventName } from './locker.events.ts';
export { presentCommand } from './locker.presenter.ts';
export {
  findCompartment,
  findLocker,
  findLockerCached,
  fittingFreeCompartments,
  freeCountsAtSite,
  lockerSite,
  lockersAtSite,
  lockersByIds,
  updateLocker,
  type CompartmentRow,
  type LockerRow,
} from './locker.repository.ts';
export { lockerRoutes } from './locker.routes.ts';
export {
  deviceFilters,
  OutboxRelay,
  startLockerRuntime,
  type LockerRuntime,
} from './locker.runtime.ts';
export { CommandView, LockerIdParam } from './locker.schemas.ts';
export { lockerResolvers } from './locker.scope.ts';
export { createLocker } from './locker.service.ts';
export type { CompartmentSize, ContractVersion } from './locker.table.ts';
export { mqttAuthRoutes } from './mqtt-auth.routes.ts';
export { provisioningRoutes } from './provisioning.routes.ts';
export type { LockerHooks, ScreenDecision } from './signals.service.ts';
export { disinfectedFor } from './uv.service.ts';
export { pruneUvCycles } from './uv-retention.service.ts';
