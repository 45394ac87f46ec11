/**
 * The API's response shapes the apps read. They are the server's own: `src/web-types.ts`
 * derives each from its route's TypeBox response schema (`Static<typeof …>`), so a changed
 * schema fails `npx tsc -p web` instead of drifting. Types only; nothing of the server reaches
 * the bundle.
 */
export type {
  Alert,
  Compartment,
  CourierParcel,
  Deposit,
  DirectoryLocker,
  HouseholdRequest,
  LockerSummary,
  Me,
  MyParcel,
  ParcelFee,
  ParcelFeePayment,
  PlaceLabel,
  RecipientPreference,
  ConsentRequest,
  DeliveryPreferences,
  SendingOrder,
  SendingQuote,
  SendingTariffs,
  CourierSending,
  StaffParcel,
  UvCycle,
  Workplaces,
} from '../../src/web-types.ts';

/** Parcel status → label (Chinese key; translated by i18n). */
export const PARCEL_STATUS: Record<string, string> = {
  reserved: '投递中',
  stored: '待取件',
  picked_up: '已取件',
  cancelled: '已取消',
  at_hall: '已移至服务馆',
  returned: '已退回快递员',
  lost: '已登记丢失',
};

export const SIZES = ['S', 'M', 'L', 'XL'] as const;
/** Size → label. */
export const SIZE_LABEL: Record<string, string> = { S: '小格', M: '中格', L: '大格', XL: '超大格' };
