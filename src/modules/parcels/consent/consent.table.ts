/**
 * Consent to locker delivery (快递市场管理办法 2024; 智能快件箱寄递服务管理办法): each
 * resident's delivery preference per carrier, the consent requests couriers send before
 * using a locker, and an address alias so waybills never carry a flat number. See ADR 0009.
 */

/** How a resident wants parcels delivered; 'ask_first' means a consent request per parcel. */
export type DeliveryMode = 'locker' | 'ask_first' | 'door' | 'hall';

/** The carrier_id of a resident's default preference (a text sentinel, not NULL, so the unique index holds on both dialects). */
export const ANY_CARRIER = '*';

export interface DeliveryPreferenceTable {
  id: string;
  /** The community of the resident's home; null for an account without a resident role. */
  community_id: string | null;
  user_id: string;
  /** A carrier id, or ANY_CARRIER for the default. Unique per user. */
  carrier_id: string;
  mode: DeliveryMode;
  updated_at: string;
}

export type ConsentStatus = 'pending' | 'accepted' | 'declined' | 'expired';

export interface ConsentRequestTable {
  id: string;
  /** The locker's community (the tenant and shard key). */
  community_id: string;
  recipient_user_id: string;
  carrier_id: string;
  courier_id: string;
  locker_id: string;
  /** Last 4 characters of the waybill: enough for the resident to recognise the parcel, not to track it. */
  waybill_tail: string;
  /** 'pending' past expires_at reads as expired; the row is marked when someone tries to decide it. */
  status: ConsentStatus;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
}

export interface AddressAliasTable {
  user_id: string;
  community_id: string;
  /** e.g. "清淳家园 3栋2单元 蚁巢柜"; checked to hold no flat number. */
  text: string;
  updated_at: string;
}

export interface ConsentTables {
  delivery_preferences: DeliveryPreferenceTable;
  consent_requests: ConsentRequestTable;
  address_aliases: AddressAliasTable;
}
