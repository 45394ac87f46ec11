/**
 * parcels' public entry: what the composition roots (app.ts, server.ts), the demo and tests
 * outside the module may use. No other module depends on parcels (ADR 0020).
 */
export { replacePreferences } from './consent.repository.ts';
export { consentRoutes } from './consent.routes.ts';
export { ANY_CARRIER } from './consent.table.ts';
export { deposit } from './deposit.service.ts';
export { neighbourRoutes } from './neighbour.routes.ts';
export { outgoingRoutes } from './outgoing.routes.ts';
export { returnsRoutes } from './returns.routes.ts';
export { overdueRoutes } from './overdue.routes.ts';
export { sweepOverdue } from './overdue.service.ts';
export { WRONG_CODES_PER_LOCKER, parcelHooks } from './parcel.hooks.ts';
export { lastPickedUpFrom, liveResidentDepositsAt } from './parcel.repository.ts';
export { parcelRoutes } from './parcel.routes.ts';
export { ParcelRuntime } from './parcel.runtime.ts';
export { sendDueNotifications } from './sms-outbox.service.ts';
export { openCode } from './pickup-code.ts';
export { pickupRoutes } from './pickup.routes.ts';
export { sweepRetention } from './retention.service.ts';
export { parcelSearchRoutes } from './search.routes.ts';
export { shareRoutes } from './share.routes.ts';
export {
  subscribeParcelsToIdentity,
  type ParcelEventMap,
  type ParcelEventType,
} from './parcel.events.ts';
export { storeParcel } from './store.service.ts';
