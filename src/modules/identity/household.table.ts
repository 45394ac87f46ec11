/** Home binding, agreement acceptance and per-account settings (issue 12). */

export interface HouseholdInviteTable {
  id: string;
  unit_id: string;
  community_id: string;
  /** The resident of the unit who made the invitation. */
  created_by: string;
  /** HMAC of the code; the code itself is shown once to its maker. */
  code_hash: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
  created_at: string;
}

export type HouseholdRequestStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface HouseholdRequestTable {
  id: string;
  user_id: string;
  unit_id: string;
  community_id: string;
  /** What the asker is to the household, e.g. 子女, 配偶, 保姆. */
  relation: string;
  note: string | null;
  status: HouseholdRequestStatus;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  reason: string | null;
}

export interface AgreementAcceptanceTable {
  id: string;
  user_id: string;
  document: 'terms' | 'privacy';
  version: string;
  /** The language of the text the person read. */
  lang: string;
  accepted_at: string;
}

export interface UserSettingsTable {
  user_id: string;
  /** 1 = elder mode (关怀模式): larger text and touch targets. */
  elder_mode: number;
  updated_at: string;
}

export interface HouseholdTables {
  household_invites: HouseholdInviteTable;
  household_requests: HouseholdRequestTable;
  agreement_acceptances: AgreementAcceptanceTable;
  user_settings: UserSettingsTable;
}
