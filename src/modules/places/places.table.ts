/**
 * The places hierarchy: subdistrict → community → compound → building → unit, plus the
 * grids (网格) buildings belong to, service halls, locker sites and police contacts.
 * Every row below a subdistrict carries community_id (the tenant and shard key).
 */
export interface SubdistrictTable {
  id: string;
  name: string;
  city: string;
  district: string;
  created_at: string;
}

export interface CommunityTable {
  /** Also the community_id every tenant-scoped row refers to. */
  id: string;
  subdistrict_id: string;
  name: string;
  created_at: string;
}

export interface CompoundTable {
  id: string;
  community_id: string;
  name: string;
  address: string;
  /** WGS-84 latitude/longitude (ADR 0030); null until set. Optional so row builders may omit them. */
  lat?: number | null;
  lng?: number | null;
  created_at: string;
}

export interface GridTable {
  id: string;
  community_id: string;
  name: string;
  /** The grid's public service line (posted on notice boards), not a person's phone. */
  service_phone: string | null;
  created_at: string;
}

export interface BuildingTable {
  id: string;
  community_id: string;
  compound_id: string;
  grid_id: string | null;
  name: string;
  floors: number;
  /** WGS-84 latitude/longitude (ADR 0030); null until set. Optional so row builders may omit them. */
  lat?: number | null;
  lng?: number | null;
  created_at: string;
}

export interface UnitTable {
  id: string;
  community_id: string;
  compound_id: string;
  building_id: string;
  name: string;
  households: number;
  created_at: string;
}

export interface HallTable {
  id: string;
  community_id: string;
  compound_id: string | null;
  name: string;
  address: string;
  opening_hours: string;
  /** WGS-84 latitude/longitude (ADR 0030); null until set. Optional so row builders may omit them. */
  lat?: number | null;
  lng?: number | null;
  created_at: string;
}

export interface LockerSiteTable {
  id: string;
  community_id: string;
  compound_id: string;
  building_id: string;
  unit_id: string | null;
  name: string;
  /** WGS-84 latitude/longitude (ADR 0030); null until set. Optional so row builders may omit them. */
  lat?: number | null;
  lng?: number | null;
  created_at: string;
}

export interface PoliceContactTable {
  id: string;
  community_id: string;
  grid_id: string | null;
  name: string;
  title: string;
  /** A duty line published to residents, not a private number. */
  work_phone: string;
  created_at: string;
}

export interface CarrierTable {
  id: string;
  code: string;
  name: string;
  kind: 'express' | 'takeout';
  created_at: string;
}

export interface PlacesTables {
  subdistricts: SubdistrictTable;
  communities: CommunityTable;
  compounds: CompoundTable;
  grids: GridTable;
  buildings: BuildingTable;
  units: UnitTable;
  halls: HallTable;
  locker_sites: LockerSiteTable;
  police_contacts: PoliceContactTable;
  carriers: CarrierTable;
}
