/**
 * parcels' public entry: what the composition roots (app.ts, server.ts), the demo and tests
 * outside the module may use; the hall deposits its orders through `deposit` (ADR 0020).
 */
export { replacePreferences } from './consent/consent.repository.ts';
export { consentRoutes } from './consent/consent.routes.ts';
export { ANY_CARRIER } from './consent/consent.table.ts';
export { deposit } from './deposit/deposit.service.ts';
export type { DepositInput, Depositor } from './deposit/deposit.service.ts';
export { neighbourRoutes } from './deposit/neighbour.routes.ts';
export { outgoingRoutes } from './outgoing/outgoing.routes.ts';
export { sendingCallbackRoutes, sendingRoutes } from './sending/sending.routes.ts';
export { returnsRoutes } from './overdue/returns.routes.ts';
export { missingParcelRoutes } from './locker/missing.routes.ts';
export { overdueRoutes } from './overdue/overdue.routes.ts';
export { feeCallbackRoutes, feeRoutes } from './fees/fee.routes.ts';
export { sweepOverdue } from './overdue/overdue.service.ts';
export { WRONG_CODES_PER_LOCKER, parcelHooks } from './locker/parcel.hooks.ts';
export {
  findParcel,
  lastPickedUpFrom,
  parcelStatuses,
  liveResidentDepositsAt,
  recentDepositLockers,
} from './core/parcel.repository.ts';
export { parcelRoutes } from './core/parcel.routes.ts';
export { ParcelRuntime } from './parcel.runtime.ts';
export { sendDueNotifications } from './notices/sms-outbox.service.ts';
export { openCode } from './core/pickup-code.ts';
export { pickupRoutes } from './pickup/pickup.routes.ts';
export { sweepRetention } from './core/retention.service.ts';
export { parcelSearchRoutes } from './search/search.routes.ts';
export { shareRoutes } from './sharing/share.routes.ts';
export {
  onParcelStep,
  subscribeParcelsToIdentity,
  type ParcelStepHandler,
  type ParcelEventMap,
  type ParcelEventType,
} from './core/parcel.events.ts';
export { storeParcel } from './deposit/store.service.ts';
export {
  onConsentDeclined,
  type ConsentRefusal,
  type ConsentRefusalHandler,
} from './consent/consent.events.ts';
export { declinedConsentsPage } from './consent/consent.repository.ts';
export { parcelStepsPage, type ParcelStepFacts } from './core/parcel-event.repository.ts';
