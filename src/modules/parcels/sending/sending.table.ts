/**
 * Sending with an address, a quote and payment (寄件, issue 20, ADR 0033). A carrier's
 * tariff prices a weight band and a compartment size in fen; a quote fixes the price and
 * the addresses for a while; an order pays the quote, then opens a compartment (an
 * outgoing parcel) for the resident to drop it in. Addresses are personal data: stored
 * encrypted (the phone vault's AES-GCM), shown in full to the sender only.
 */

/** The weight bands a tariff prices (WEIGHT_BANDS in sending.schemas.ts lists them in order). */
export type WeightBand = '0-1kg' | '1-3kg' | '3-5kg' | '5-10kg';

/** One price of a carrier's tariff table (kept by operator admins). */
export interface SendingTariffTable {
  id: string;
  carrier_id: string;
  weight_band: WeightBand;
  size: 'S' | 'M' | 'L' | 'XL';
  price_fen: number;
  updated_at: string;
  updated_by: string | null;
}

/** A price offered to one resident for one parcel, valid until expires_at, used by one order. */
export interface SendingQuoteTable {
  id: string;
  user_id: string;
  carrier_id: string;
  weight_band: WeightBand;
  size: 'S' | 'M' | 'L' | 'XL';
  price_fen: number;
  /** AES-GCM ciphertext of the sender and recipient (JSON). */
  addresses_cipher: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/**
 * awaiting_payment → paid (a compartment opens: parcel_id set) → refunded (the carrier
 * rejected it, no compartment could open, or the parcel was never dropped); failed when the
 * payment failed.
 */
export type SendingOrderStatus = 'awaiting_payment' | 'paid' | 'refunded' | 'failed';

export interface SendingOrderTable {
  id: string;
  quote_id: string;
  user_id: string;
  community_id: string;
  locker_id: string;
  carrier_id: string;
  weight_band: WeightBand;
  size: 'S' | 'M' | 'L' | 'XL';
  price_fen: number;
  addresses_cipher: string;
  status: SendingOrderStatus;
  /** The outgoing parcel, once paid and a compartment was reserved. */
  parcel_id: string | null;
  provider: string;
  provider_ref: string | null;
  paid_at: string | null;
  refunded_at: string | null;
  /** When the provider paid the refund back (after the commit that recorded it; null while owed). */
  refund_paid_at: string | null;
  /** Why the carrier's courier refused it (or why it was refunded without a compartment). */
  reject_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Each payment callback once (the replay key is the provider's event id). */
export interface SendingPaymentEventTable {
  provider: string;
  event_id: string;
  order_id: string;
  kind: string;
  amount_fen: number;
  at: string;
}

export interface SendingTables {
  sending_tariffs: SendingTariffTable;
  sending_quotes: SendingQuoteTable;
  sending_orders: SendingOrderTable;
  sending_payment_events: SendingPaymentEventTable;
}
