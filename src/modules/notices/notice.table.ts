/**
 * Notices (policy publicity, 通知公告) and public-welfare activities (公益活动), each
 * addressed to a subdistrict, a community or a compound; sign-ups with a capacity and a
 * waiting list; the hall kiosk's short sessions; the local social-security records.
 */

/** Which place a notice or activity addresses. */
export type AudienceKind = 'subdistrict' | 'community' | 'compound';

/** The place columns both notices and activities carry (community and compound null when wider). */
export interface AudienceColumns {
  scope_kind: AudienceKind;
  subdistrict_id: string;
  community_id: string | null;
  compound_id: string | null;
  /** Set when hall staff wrote it: that hall's staff manage it and its kiosk shows it. */
  hall_id: string | null;
}

export interface NoticeTable extends AudienceColumns {
  id: string;
  title: string;
  body: string;
  /** 0/1: shown in red and sorted first while it stands. */
  urgent: number;
  /** Pinned to the top until then (never after the notice expires). */
  pinned_until: string | null;
  /** No longer shown to residents from then on; null = until withdrawn. */
  expires_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type ActivityStatus = 'open' | 'cancelled';

export interface ActivityTable extends AudienceColumns {
  id: string;
  title: string;
  description: string;
  location: string;
  starts_at: string;
  ends_at: string;
  signup_closes_at: string;
  capacity: number;
  /** Confirmed sign-ups; changed only together with a sign-up row, under this row's lock. */
  confirmed_count: number;
  /** Hands out sign-up sequence numbers (the waiting list's order). */
  signup_seq: number;
  status: ActivityStatus;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type SignupStatus = 'confirmed' | 'waiting' | 'cancelled';

export interface ActivitySignupTable {
  id: string;
  activity_id: string;
  user_id: string;
  community_id: string | null;
  status: SignupStatus;
  seq: number;
  created_at: string;
  updated_at: string;
  reminded_at: string | null;
}

export interface KioskSessionTable {
  session_id: string;
  user_id: string;
  hall_id: string;
  community_id: string;
  expires_at: string;
  ended_at: string | null;
  created_at: string;
}

export interface SocialSecurityRecordTable {
  phone_hash: string;
  insured_name: string;
  insured_place: string;
  pension_status: string;
  pension_months: number;
  pension_balance_fen: number;
  medical_status: string;
  medical_balance_fen: number;
  last_paid_month: string;
  updated_at: string;
}

export interface NoticeTables {
  notices: NoticeTable;
  activities: ActivityTable;
  activity_signups: ActivitySignupTable;
  kiosk_sessions: KioskSessionTable;
  social_security_records: SocialSecurityRecordTable;
}
