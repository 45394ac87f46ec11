/**
 * A recipient shares the pickup of one parcel with a family member (by phone). The
 * family member sees the parcel and its code until the share is revoked; revoking
 * changes the code, so a code already passed on stops working too.
 */
export interface ParcelShareTable {
  id: string;
  parcel_id: string;
  community_id: string;
  /** The recipient who shared it. */
  owner_user_id: string;
  /** Keyed hash of the family member's phone: they match by phone, with or without an account. */
  phone_hash: string;
  /** Encrypted phone, blanked by retention like the parcel's own. */
  phone_cipher: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface ShareTables {
  parcel_shares: ParcelShareTable;
}
