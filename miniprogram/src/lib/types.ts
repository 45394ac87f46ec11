/** The API's response shapes, from the server's schemas (src/web-types.ts via web/shared). */
export type {
  MyParcel,
  ParcelFee,
  ParcelFeePayment,
  DirectoryLocker,
  Deposit,
  SentParcel,
  Me,
  ConsentRequest,
  DeliveryPreferences,
  Carrier,
  AddressAlias,
  MyHomes,
  HomeUnit,
  HouseholdRequest,
  HallInfo,
  HallItem,
  HallCatalogue,
  HallOrder,
  HallGroupBuy,
  HallServiceSlots,
  HallSpaceDay,
  HallBooking,
  NeedView,
  ServiceView,
  NoticeView,
  ActivityView,
  SignupResult,
  PublicFund,
} from '../../../src/web-types.ts';

/** POST /me/pickups/scan: the compartments the scanned screen opened for me. */
export interface ScanResult {
  opened: { parcelId: string; compartment: number }[];
}
