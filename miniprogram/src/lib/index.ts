/**
 * The mini-program's shared library, built once into lib/index.js: the API client and
 * session, WeChat sign-in, strings, the format and phone rules, elder mode. Pages import only
 * this file (the build keeps it one module, so every page shares one session and one client).
 */
export { api, sessions } from './api.ts';
export { bindPhone, sendSmsCode, signInBySms, signInWithWechat, type PendingBind } from './auth.ts';
export { elder, setElder, syncElder } from './elder.ts';
export { lang, setLang, strings, t, type Lang } from './i18n.ts';
export { qrDataUrl } from './qr.ts';
export { confirm, nextDays, toast, yuan } from './ui.ts';
export { API_BASE } from './config.ts';
export { ApiError } from '../../../web/shared/api-core.ts';
export { clock, DELIVERY_MODE_OPTIONS, normalizePhone, when } from '../../../web/shared/format.ts';
export { maskPhone } from '../../../src/kernel/phone.ts';
export { PARCEL_STATUS, SIZE_LABEL, SIZES } from '../../../web/shared/types.ts';
export { ORDER_STATUS, slotText } from '../../../web/shared/hall.ts';
export { STATUS_LABEL as NEED_STATUS } from '../../../web/shared/needs/needs-labels.ts';
export { AUDIENCE_LABEL, seatsText } from '../../../web/shared/notices.ts';
export type * from './types.ts';
export { subscribeAll } from './subscribe.ts';
export {
  type CarrierTariff,
  SENDING_STATUS,
  type SendingOrder,
  type SendingQuote,
  type Tariffs,
} from './sending.ts';
