/** What leaves the server about places: rows mapped field by field to the camelCase views (a whitelist). */
import type * as repo from './places.repository.ts';
import type * as buildingRepo from './building.repository.ts';
import type {
  BuildingView,
  CarrierView,
  CommunityDetail,
  CommunityView,
  CompoundView,
  DirectoryEntry,
  GridView,
  HallView,
  LockerSiteView,
  PoliceContactView,
  SubdistrictView,
  UnitDetail,
  UnitView,
} from './places.schemas.ts';

/** A subdistrict. */
export function presentSubdistrict(r: repo.SubdistrictRow): SubdistrictView {
  return { id: r.id, name: r.name, city: r.city, district: r.district, createdAt: r.created_at };
}

/** A community. */
export function presentCommunity(r: repo.CommunityRow): CommunityView {
  return { id: r.id, subdistrictId: r.subdistrict_id, name: r.name, createdAt: r.created_at };
}

/** A community with how many places of each kind it has. */
export function presentCommunityDetail(
  r: repo.CommunityRow,
  counts: repo.CommunityCounts,
): CommunityDetail {
  return { ...presentCommunity(r), counts: { ...counts } };
}

/** A compound (小区). */
export function presentCompound(r: repo.CompoundRow): CompoundView {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    address: r.address,
    createdAt: r.created_at,
  };
}

/** A grid (网格) with its public service line. */
export function presentGrid(r: repo.GridRow): GridView {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    servicePhone: r.service_phone,
    createdAt: r.created_at,
  };
}

/** A building. */
export function presentBuilding(r: repo.BuildingRow): BuildingView {
  return {
    id: r.id,
    communityId: r.community_id,
    compoundId: r.compound_id,
    gridId: r.grid_id,
    name: r.name,
    floors: r.floors,
    createdAt: r.created_at,
  };
}

/** A unit (单元). */
export function presentUnit(r: repo.UnitRow): UnitView {
  return {
    id: r.id,
    communityId: r.community_id,
    compoundId: r.compound_id,
    buildingId: r.building_id,
    name: r.name,
    households: r.households,
    createdAt: r.created_at,
  };
}

/** A unit with the names of the places around it. */
export function presentUnitDetail(r: buildingRepo.UnitInContext): UnitDetail {
  return {
    ...presentUnit(r),
    buildingName: r.building_name,
    compoundName: r.compound_name,
    communityName: r.community_name,
    gridId: r.grid_id,
  };
}

/** A service hall. */
export function presentHall(r: repo.HallRow): HallView {
  return {
    id: r.id,
    communityId: r.community_id,
    compoundId: r.compound_id,
    name: r.name,
    address: r.address,
    openingHours: r.opening_hours,
    createdAt: r.created_at,
  };
}

/** A locker site (where a locker stands: a unit door or a building). */
export function presentLockerSite(r: repo.LockerSiteRow): LockerSiteView {
  return {
    id: r.id,
    communityId: r.community_id,
    compoundId: r.compound_id,
    buildingId: r.building_id,
    unitId: r.unit_id,
    name: r.name,
    createdAt: r.created_at,
  };
}

/** A published police contact. */
export function presentPoliceContact(r: repo.PoliceContactRow): PoliceContactView {
  return {
    id: r.id,
    communityId: r.community_id,
    gridId: r.grid_id,
    name: r.name,
    title: r.title,
    workPhone: r.work_phone,
    createdAt: r.created_at,
  };
}

/** A carrier or takeout platform. */
export function presentCarrier(r: repo.CarrierRow): CarrierView {
  return { id: r.id, code: r.code, name: r.name, kind: r.kind, createdAt: r.created_at };
}

/** One unit of the resident's directory: only published lines and names, nothing about other residents. */
export function presentDirectoryEntry(
  u: buildingRepo.UnitInContext,
  police: readonly repo.PoliceContactRow[],
  halls: readonly repo.HallRow[],
  sites: readonly repo.LockerSiteRow[],
): DirectoryEntry {
  return {
    unit: { id: u.id, name: u.name, households: u.households },
    building: { id: u.building_id, name: u.building_name },
    compound: { id: u.compound_id, name: u.compound_name, address: u.compound_address },
    community: { id: u.community_id, name: u.community_name },
    grid:
      u.grid_id !== null && u.grid_name !== null
        ? { id: u.grid_id, name: u.grid_name, servicePhone: u.grid_service_phone }
        : null,
    policeContacts: police.map((p) => ({
      name: p.name,
      title: p.title,
      workPhone: p.work_phone,
      forMyGrid: p.grid_id !== null && p.grid_id === u.grid_id,
    })),
    halls: halls.map((h) => ({
      id: h.id,
      name: h.name,
      address: h.address,
      openingHours: h.opening_hours,
    })),
    lockerSites: sites.map((s) => ({ id: s.id, name: s.name, atMyUnit: s.unit_id === u.id })),
  };
}
