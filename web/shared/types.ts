/** The API's response shapes the apps read (mirrors the server's TypeBox views). */

export interface MyParcel {
  parcelId: string;
  kind: string;
  status: string;
  lockerId: string;
  lockerName: string;
  address: string;
  compartment: number;
  code: string | null;
  carrier: string | null;
  storedAt: string | null;
  freeUntil: string | null;
  codeExpiresAt: string | null;
  pickedUpAt: string | null;
  disinfectedAt: string | null;
  /** Where an overdue parcel moved to the service hall is (status at_hall); slot null while staff carry it over. */
  hall: { name: string; address: string; slot: string | null } | null;
  access: 'recipient' | 'shared';
}

export interface DirectoryLocker {
  id: string;
  name: string;
  communityId: string;
  address: string;
  /** "清淳家园 1栋1单元门口 2号柜": what a person calls it. */
  place: string;
  /** "1号柜", "2号柜" when a door has several cabinets; '' otherwise. */
  cabinet: string;
  presence: string;
  free: Record<'S' | 'M' | 'L' | 'XL', number>;
}

export interface Deposit {
  parcelId: string;
  lockerId: string;
  compartment: number;
  status: string;
  reservedUntil: string | null;
  commandId: string;
}

export interface CourierParcel {
  parcelId: string;
  lockerId: string;
  compartment: number;
  kind: string;
  size: string;
  status: string;
  waybill: string | null;
  recipientPhone: string | null;
  createdAt: string;
  storedAt: string | null;
  placeName: string;
  /** One deposit only: what really happened (GET /courier/parcels/{id}). */
  outcome?:
    | 'opening'
    | 'opened'
    | 'stored'
    | 'closed_empty'
    | 'door_jammed'
    | 'no_answer'
    | 'lapsed'
    | 'picked_up'
    | 'other';
}

export interface Me {
  id: string;
  displayName: string;
  phone: string | null;
  username: string | null;
  grants: {
    id: string;
    role: string;
    scopeKind: string;
    scopeId: string;
    communityId: string | null;
  }[];
}

/** Where a locker stands, in words (the server's PlaceLabelView). */
export interface PlaceLabel {
  compoundId: string;
  compound: string;
  buildingId: string;
  building: string;
  unit: string | null;
  site: string;
  cabinet: string;
}

/** My staff and partner roles with places named, and the communities I may pick (GET /me/workplaces). */
export interface Workplaces {
  grants: {
    role: string;
    scopeKind: string;
    scopeId: string;
    placeName: string | null;
    communityId: string | null;
    communityName: string | null;
  }[];
  communities: { id: string; name: string; subdistrict: string }[];
}

/** A parcel as the staff search returns it: masked phone, named place. */
export interface StaffParcel extends CourierParcel {
  lockerName: string;
  place?: PlaceLabel;
}

export interface Alert {
  id: string;
  lockerId: string;
  lockerName?: string;
  place?: PlaceLabel;
  communityId: string;
  compartment: number | null;
  kind: string;
  status: string;
  message: string;
  occurrences: number;
  openedAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface Compartment {
  number: number;
  size: string;
  kind: string;
  use: string;
  door: string;
  occupied: string;
  uv: string;
  uvResult: string | null;
  lastDisinfectedAt: string | null;
  lastCycle: UvCycle | null;
}

/** One UV cycle of a compartment (outcome: running | completed | failed | aborted | blocked). */
export interface UvCycle {
  compartment: number;
  trigger: string | null;
  outcome: string;
  reason: string | null;
  durationSeconds: number | null;
  ranSeconds: number | null;
  startedAt: string;
  endedAt: string | null;
}

export interface LockerSummary {
  id: string;
  name: string;
  communityId: string;
  presence: string;
  lastSeenAt: string | null;
  counts?: { compartments: number; free: number; doorsOpen: number; openAlerts: number };
  place?: PlaceLabel;
}

/** Parcel status → label (Chinese key; translated by i18n). */
export const PARCEL_STATUS: Record<string, string> = {
  reserved: '投递中',
  stored: '待取件',
  picked_up: '已取件',
  cancelled: '已取消',
  at_hall: '已移至服务馆',
  returned: '已退回快递员',
};

export const SIZES = ['S', 'M', 'L', 'XL'] as const;
/** Size → label. */
export const SIZE_LABEL: Record<string, string> = { S: '小格', M: '中格', L: '大格', XL: '超大格' };

/** A request to bind a home (the server's household RequestView); `asker` (masked phone) only in the community's queue. */
export interface HouseholdRequest {
  requestId: string;
  unitId: string;
  /** "清淳家园 1栋1单元": the unit named as on the building. */
  unit: string;
  communityName: string;
  relation: string;
  note: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  createdAt: string;
  decidedAt: string | null;
  reason: string | null;
  asker?: { displayName: string; phone: string | null };
}
