/** The demo's places: one community with its compound, grids, buildings, units, locker sites, hall and police. */
import type { Executor } from '../db/database.ts';
import * as buildingRepo from '../modules/places/building.repository.ts';
import * as places from '../modules/places/places.repository.ts';
import * as siteRepo from '../modules/places/site.repository.ts';
import * as J from './jinquan.ts';
import * as M from './jinquan-map.ts';

/** The ids of a seeded community that the people and the modules' demo data refer to. */
export interface SeededCommunity {
  id: string;
  gridIds: string[];
  hallId: string;
  /** unit id by "building-unit" (1-based numbers). */
  units: Map<string, string>;
}

/** One community: its compound, grids, buildings, units, a locker site at every unit door, its hall and police contacts. */
export async function seedCommunity(
  trx: Executor,
  c: J.DemoCommunity,
  subdistrictId: string,
  at: string,
  id: () => string,
) {
  const communityId = id();
  const compoundId = id();
  await places.insertCommunities(trx, {
    id: communityId,
    subdistrict_id: subdistrictId,
    name: c.name,
    created_at: at,
  });
  await places.insertCompounds(trx, {
    id: compoundId,
    community_id: communityId,
    name: c.compound.name,
    address: c.compound.address,
    ...M.compoundLocation(c),
    created_at: at,
  });

  const grids: places.GridRow[] = [];
  for (let g = 1; g <= J.gridCount(c); g++)
    grids.push({
      id: id(),
      community_id: communityId,
      name: J.gridName(g),
      service_phone: J.gridPhone(c, g),
      created_at: at,
    });
  await places.insertGrids(trx, grids);

  const buildings: places.BuildingRow[] = [];
  const units: places.UnitRow[] = [];
  const sites: places.LockerSiteRow[] = [];
  const unitIds = new Map<string, string>();
  const base = { community_id: communityId, compound_id: compoundId, created_at: at };
  for (let b = 1; b <= c.compound.buildings; b++) {
    const building: places.BuildingRow = {
      ...base,
      id: id(),
      grid_id: grids[J.gridOfBuilding(c, b) - 1]!.id,
      name: J.buildingName(b),
      floors: c.compound.floors,
      ...M.buildingLocation(c, b),
    };
    buildings.push(building);
    for (let u = 1; u <= c.compound.unitsPerBuilding; u++) {
      const unit: places.UnitRow = {
        ...base,
        id: id(),
        building_id: building.id,
        name: J.unitName(u),
        households: c.compound.floors * c.compound.householdsPerFloor,
      };
      units.push(unit);
      unitIds.set(`${b}-${u}`, unit.id);
      sites.push({
        ...base,
        id: id(),
        building_id: building.id,
        unit_id: unit.id,
        name: J.lockerSiteName(b, u),
        ...M.lockerSiteLocation(c, b, u),
      });
    }
  }
  await buildingRepo.insertBuildings(trx, buildings);
  await buildingRepo.insertUnits(trx, units);
  await siteRepo.insertLockerSites(trx, sites);

  const hallId = id();
  await siteRepo.insertHalls(trx, {
    id: hallId,
    community_id: communityId,
    compound_id: compoundId,
    name: c.hall.name,
    address: c.hall.address,
    opening_hours: c.hall.openingHours,
    ...M.hallLocation(c),
    created_at: at,
  });
  await siteRepo.insertPoliceContacts(
    trx,
    c.police.map((p) => ({
      id: id(),
      community_id: communityId,
      grid_id: p.grid === null ? null : grids[p.grid - 1]!.id,
      name: p.name,
      title: p.title,
      work_phone: p.workPhone,
      created_at: at,
    })),
  );

  return {
    ids: {
      id: communityId,
      gridIds: grids.map((g) => g.id),
      hallId,
      units: unitIds,
    } satisfies SeededCommunity,
    counts: {
      communities: 1,
      compounds: 1,
      grids: grids.length,
      buildings: buildings.length,
      units: units.length,
      halls: 1,
      lockerSites: sites.length,
      policeContacts: c.police.length,
    },
  };
}
