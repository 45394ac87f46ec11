/**
 * Sending (寄件): the response types come from the server's schemas
 * (src/modules/parcels/sending/sending.schemas.ts via src/web-types.ts); the status labels
 * are the mini-program's own Chinese source texts.
 */
import type {
  SendingOrder,
  SendingQuote,
  SendingTariffs as Tariffs,
} from '../../../src/web-types.ts';

export type { SendingOrder, SendingQuote, Tariffs };
/** A carrier with its prices by weight band and size. */
export type CarrierTariff = Tariffs['carriers'][number];

/** Order status → label (Chinese source). */
export const SENDING_STATUS: Record<string, string> = {
  awaiting_payment: '待支付',
  payment_failed: '支付失败',
  awaiting_drop: '格口已打开，请放入包裹',
  in_locker: '已放入，等待快递员揽收',
  collected: '快递员已揽收',
  cancelled: '已取消',
  refunded: '快递员拒收，运费已退回',
};
