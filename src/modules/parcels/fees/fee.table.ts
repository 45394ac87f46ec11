/**
 * Collecting overdue locker fees (issue 17, ADR 0028): a resident pays a parcel's fee
 * through the payment port, or staff waive it; either way one settlement row per parcel
 * ends the fee.
 */

export type FeePaymentStatus = 'pending' | 'paid' | 'failed';

/** One attempt to pay a parcel's fee (integer fen, the amount owed when it started). */
export interface ParcelFeePaymentTable {
  id: string;
  parcel_id: string;
  community_id: string;
  /** Who pays: the recipient or someone the parcel is shared with. */
  user_id: string;
  provider: string;
  provider_ref: string | null;
  amount_fen: number;
  status: FeePaymentStatus;
  created_at: string;
  paid_at: string | null;
}

/** Each provider callback once (the replay key is the provider's event id). */
export interface ParcelFeePaymentEventTable {
  provider: string;
  event_id: string;
  payment_id: string;
  kind: string;
  amount_fen: number;
  at: string;
}

/** The end of a parcel's fee, once per parcel: paid (and posted to the ledger) or waived (posted nothing). */
export interface ParcelFeeSettlementTable {
  parcel_id: string;
  community_id: string;
  kind: 'paid' | 'waived';
  /** What was paid, or what was owed when it was waived. */
  amount_fen: number;
  payment_id: string | null;
  /** The ledger entry of a paid fee. */
  entry_id: string | null;
  by_user: string;
  /** Why staff waived it. */
  reason: string | null;
  at: string;
}

export interface FeeTables {
  parcel_fee_payments: ParcelFeePaymentTable;
  parcel_fee_payment_events: ParcelFeePaymentEventTable;
  parcel_fee_settlements: ParcelFeeSettlementTable;
}
