/**
 * The community service hall (issue 15): its catalogue, residents' orders and their
 * payments and refunds, C2B group buys, and bookings of the rest area and meeting room.
 * Money is integer fen. Counters (slot capacity, weekly quotas) are rows updated with a
 * conditional UPDATE so parallel requests on any node never overshoot.
 */
export type ItemKind = 'product' | 'service';
export type OrderStatus =
  /** Stock is held; the payment has not settled yet (expires after ORDER_PAY_MINUTES). */
  | 'awaiting_payment'
  /** Paid: the hall packs it (or books the service). */
  | 'paid'
  /** Packed and waiting at the counter (pickup orders). */
  | 'ready'
  /** Deposited into the unit's locker through the parcel flow (see parcel_id for its state). */
  | 'in_locker'
  /** Handed over at the counter, collected from the locker, or the service delivered. */
  | 'completed'
  | 'cancelled';
export type Fulfilment = 'pickup' | 'locker';
export type PaymentStatus = 'pending' | 'paid' | 'failed';
export type GroupBuyStatus = 'open' | 'confirmed' | 'failed';
export type JoinStatus = 'awaiting_payment' | 'paid' | 'confirmed' | 'refunded' | 'cancelled';
export type BookingStatus =
  'confirmed' | 'pending_approval' | 'checked_in' | 'cancelled' | 'rejected';

export interface HallProfileTable {
  hall_id: string;
  community_id: string;
  /** The hall's counter line (published, not a person's phone). */
  phone: string;
  intro: string;
  updated_at: string;
}

export interface HallItemTable {
  id: string;
  hall_id: string;
  community_id: string;
  kind: ItemKind;
  /** One of CATEGORIES (catalogue-categories.ts). */
  category: string;
  name: string;
  description: string;
  /** Unit price in fen. */
  price_fen: number;
  /** 斤, 份, 次… */
  unit: string;
  /** Products only; never negative (conditional UPDATE). Null for services. */
  stock: number | null;
  /** At or below this the console raises a stock alert. */
  low_stock: number;
  /** JSON array of photo URLs. */
  photos: string;
  active: number;
  /** Services only: the length of one appointment slot; null when the service needs no appointment. */
  slot_minutes: number | null;
  /** Appointments one slot takes (people or jobs at once). */
  slot_capacity: number | null;
  /** The service's own hours ("08:30-17:00", Asia/Shanghai); null: the hall's opening hours. */
  slot_hours: string | null;
  /** 0/1: the appointment takes place at the resident's unit (housekeeping, repairs, laundry pick-up). */
  at_home: number;
  created_at: string;
  updated_at: string;
}

export type AppointmentStatus = 'booked' | 'cancelled';

/** One appointment of a service order line: a place in one slot of that service. */
export interface HallAppointmentTable {
  id: string;
  order_id: string;
  item_id: string;
  hall_id: string;
  community_id: string;
  user_id: string;
  /** Where a home visit goes (the order's unit). */
  unit_id: string;
  slot_start: string;
  slot_end: string;
  /** Places it takes in the slot (the line's quantity). */
  places: number;
  at_home: number;
  status: AppointmentStatus;
  created_at: string;
}

export interface HallOrderTable {
  id: string;
  /** Short number told to the counter (e.g. H3F9K2). */
  code: string;
  hall_id: string;
  community_id: string;
  user_id: string;
  /** The resident's unit the locker delivery goes to. */
  unit_id: string;
  status: OrderStatus;
  fulfilment: Fulfilment;
  total_fen: number;
  refunded_fen: number;
  note: string | null;
  /** The parcel that carries it into the unit's locker. */
  parcel_id: string | null;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
}

export interface HallOrderLineTable {
  order_id: string;
  item_id: string;
  name: string;
  price_fen: number;
  quantity: number;
}

export interface HallPaymentTable {
  id: string;
  community_id: string;
  /** What it pays for: an order or a group-buy join. */
  subject_kind: 'order' | 'group_join';
  subject_id: string;
  user_id: string;
  provider: string;
  provider_ref: string | null;
  amount_fen: number;
  refunded_fen: number;
  status: PaymentStatus;
  created_at: string;
  paid_at: string | null;
}

/** Every provider callback seen, once: a replay finds its event id and changes nothing. */
export interface HallPaymentEventTable {
  provider: string;
  event_id: string;
  payment_id: string;
  kind: string;
  amount_fen: number;
  at: string;
}

export interface HallRefundTable {
  id: string;
  payment_id: string;
  community_id: string;
  amount_fen: number;
  reason: string;
  status: 'requested' | 'done';
  created_at: string;
}

export interface HallGroupBuyTable {
  id: string;
  hall_id: string;
  community_id: string;
  title: string;
  description: string;
  category: string;
  price_fen: number;
  unit: string;
  target_qty: number;
  /** Quantity paid for so far. */
  joined_qty: number;
  deadline: string;
  status: GroupBuyStatus;
  /** A resident or hall staff. */
  proposed_by: string;
  proposer_kind: 'resident' | 'hall';
  settled_at: string | null;
  created_at: string;
}

export interface HallGroupJoinTable {
  id: string;
  group_buy_id: string;
  community_id: string;
  user_id: string;
  unit_id: string;
  quantity: number;
  fulfilment: Fulfilment;
  status: JoinStatus;
  /** A confirmed locker join's parcel, once hall staff deposited it. */
  parcel_id: string | null;
  /** A confirmed pickup join handed over at the counter. */
  handed_over_at: string | null;
  created_at: string;
}

export interface HallSpaceTable {
  id: string;
  hall_id: string;
  community_id: string;
  name: string;
  kind: 'table' | 'meeting_room';
  /** Parallel bookings one slot takes (tables of a kind; 1 for a room). */
  capacity: number;
  /** Most people per booking. */
  seats: number;
  /** Parties larger than this need staff approval (null: never). */
  approval_over: number | null;
  slot_minutes: number;
  /** Opening hours in Asia/Shanghai, whole hours. */
  open_hour: number;
  close_hour: number;
  created_at: string;
}

export interface HallBookingTable {
  id: string;
  space_id: string;
  hall_id: string;
  community_id: string;
  user_id: string;
  slot_start: string;
  slot_end: string;
  party_size: number;
  purpose: string;
  status: BookingStatus;
  checkin_code: string;
  created_at: string;
}

/** Named counters taken with a conditional UPDATE (slot capacity, weekly quota). */
export interface HallCounterTable {
  key: string;
  n: number;
}

export interface HallTables {
  hall_profiles: HallProfileTable;
  hall_items: HallItemTable;
  hall_orders: HallOrderTable;
  hall_order_lines: HallOrderLineTable;
  hall_payments: HallPaymentTable;
  hall_payment_events: HallPaymentEventTable;
  hall_refunds: HallRefundTable;
  hall_group_buys: HallGroupBuyTable;
  hall_group_joins: HallGroupJoinTable;
  hall_spaces: HallSpaceTable;
  hall_bookings: HallBookingTable;
  hall_counters: HallCounterTable;
  hall_appointments: HallAppointmentTable;
}
