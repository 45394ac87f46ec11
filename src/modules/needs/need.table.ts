/**
 * Residents' needs (issue 16): the service catalogue, deadline classes and working-day
 * calendar, the requests with their history, photos, routing rules, hand-offs to outside
 * institutions, and Open311 client keys. Every request row carries community_id.
 */

/** Who answers for a kind of request. */
export type Party =
  'community_office' | 'grid_worker' | 'property' | 'police' | 'utilities' | 'institution';

export type NeedStatus =
  'received' | 'dispatched' | 'in_progress' | 'replied' | 'closed' | 'declined' | 'reopened';

export type Channel = 'app' | 'desk' | 'kiosk' | 'open311';

export interface NeedDeadlineClassTable {
  code: string;
  name: string;
  name_en: string;
  /** 'hours' counts clock hours; 'working_days' counts whole working days after the day received. */
  unit: 'hours' | 'working_days';
  amount: number;
  /** A first response (accept or reply) within this many hours counts as responded in time. */
  respond_hours: number;
  /** Escalate to the community office this many hours before the deadline. */
  warn_hours: number;
}

export interface NeedServiceTable {
  /** Also the Open311 service_code. */
  code: string;
  name: string;
  name_en: string;
  description: string;
  group_name: string;
  responsible: Party;
  deadline_class: string;
  /** JSON: Open311-style attribute definitions (code, datatype, required, description, values). */
  attributes: string;
  keywords: string;
  active: number;
  sort: number;
  updated_at: string;
}

export interface NeedCalendarTable {
  /** YYYY-MM-DD in Asia/Shanghai. */
  day: string;
  /** holiday: a weekday off; workday: a weekend day worked (调休上班). */
  kind: 'holiday' | 'workday';
  name: string;
}

export interface NeedTable {
  id: string;
  /** Open311 token: a random handle given to the submitter. */
  token: string;
  community_id: string;
  grid_id: string | null;
  unit_id: string | null;
  /** The hall whose desk took the request (hall staff see what they took in). */
  hall_id: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  service_code: string;
  /** JSON object of attribute code → value. */
  attributes: string;
  description: string;
  channel: Channel;
  status: NeedStatus;
  requester_id: string | null;
  contact_name: string | null;
  phone_hash: string | null;
  phone_cipher: string | null;
  /** The staff member who entered it for a resident (desk). */
  entered_by: string | null;
  open311_client: string | null;
  party: Party;
  assignee_id: string | null;
  deadline_class: string;
  received_at: string;
  due_at: string;
  warn_at: string;
  respond_by: string;
  responded_at: string | null;
  replied_at: string | null;
  reply: string | null;
  closed_at: string | null;
  declined_at: string | null;
  escalated_at: string | null;
  reopen_count: number;
  visited_at: string | null;
  visit_note: string | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: string | null;
  updated_at: string;
}

export interface NeedEventTable {
  id: string;
  need_id: string;
  /** 1, 2, 3… per request. */
  seq: number;
  community_id: string;
  at: string;
  actor_id: string | null;
  actor_kind: 'resident' | 'staff' | 'system' | 'open311';
  action: string;
  from_status: NeedStatus | null;
  to_status: NeedStatus;
  note: string | null;
}

export interface NeedPhotoTable {
  id: string;
  need_id: string | null;
  owner_id: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: string;
}

export interface NeedRouteTable {
  id: string;
  community_id: string;
  service_code: string | null;
  grid_id: string | null;
  party: Party;
  assignee_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface NeedHandoffTable {
  id: string;
  need_id: string;
  community_id: string;
  party: Party;
  adapter: string;
  external_ref: string;
  note: string | null;
  created_at: string;
}

export interface Open311ClientTable {
  id: string;
  name: string;
  /** SHA-256 of the key (keys are 32 random bytes, so a fast hash suffices). */
  key_hash: string;
  /** The key's last 4 characters, to tell keys apart in the console. */
  key_hint: string;
  /** The person or office at the client who holds the key (no phone numbers: those go through the vault). */
  contact: string | null;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface NeedTables {
  need_deadline_classes: NeedDeadlineClassTable;
  need_services: NeedServiceTable;
  need_calendar: NeedCalendarTable;
  needs: NeedTable;
  need_events: NeedEventTable;
  need_photos: NeedPhotoTable;
  need_routes: NeedRouteTable;
  need_handoffs: NeedHandoffTable;
  open311_clients: Open311ClientTable;
}
