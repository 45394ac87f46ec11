/**
 * lockers' public entry: what other modules and the composition roots may use. Lockers own
 * compartment state; others change it only through the transitions exported here (ADR 0020).
 */
export { raiseAlert } from './alert.service.ts';
export { cabinetLabels, lockerPlaceNames } from './cabinet.presenter.ts';
export { findCommand, type CommandRow } from './command.repository.ts';
export { enqueueCommand, stableCommandId } from './command.service.ts';
export { freeCompartment, occupyCompartment, reserveCompartment } from './compartment.service.ts';
export { CredentialRelay, CredentialWatch } from './credentials.runtime.ts';
export { DEVICE_AUTH_CACHE_MS, MqttLogins } from './device-auth.service.ts';
export { activeCabinetsAt } from './directory.repository.ts';
export { lockerDirectoryRoutes } from './directory.routes.ts';
export { ingest } from './ingest.service.ts';
export type { LockerEventHandler, LockerEventMap, LockerEventName } from './locker.events.ts';
export { presentCommand } from './locker.presenter.ts';
export {
  findCompartment,
  findLocker,
  fittingFreeCompartments,
  freeCountsAtSite,
  lockerSite,
  lockersAtSite,
  lockersByIds,
  updateLocker,
  type LockerRow,
} from './locker.repository.ts';
export { lockerRoutes } from './locker.routes.ts';
export { OutboxRelay, startLockerRuntime, type LockerRuntime } from './locker.runtime.ts';
export { CommandView, LockerIdParam } from './locker.schemas.ts';
export { lockerResolvers } from './locker.scope.ts';
export { createLocker } from './locker.service.ts';
export type { CompartmentSize } from './locker.table.ts';
export { mqttAuthRoutes } from './mqtt-auth.routes.ts';
export { provisioningRoutes } from './provisioning.routes.ts';
export type { LockerHooks, ScreenDecision } from './signals.service.ts';
export { disinfectedFor } from './uv.service.ts';
