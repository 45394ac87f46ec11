/**
 * The demo subdistrict scaled for benchmarks: the Jinquan seed (two communities, 160
 * unit-door lockers) plus generated communities — each a compound, one grid, a hall and
 * a locker site at every unit door — until the subdistrict has the programme's planned
 * 1,500 lockers and 50 halls. The demo's own locker seeder then puts a 24–60
 * compartment cabinet at every site (≈ 63,000 compartments at 1,500 lockers).
 */
import { loadConfig, type Config } from '../src/config.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/db/database.ts';
import * as places from '../src/modules/places/places.repository.ts';
import * as siteRepo from '../src/modules/places/site.repository.ts';
import * as buildingRepo from '../src/modules/places/building.repository.ts';
import { iso, newId } from '../src/platform/clock.ts';
import type { AppDeps } from '../src/platform/deps.ts';
import { standaloneDeps } from '../src/server.ts';

export { loadConfig, type Config };

/** Services for seeding outside a running node (no SMS goes out). */
export function seedDeps(config: Config, db: Database): AppDeps {
  return standaloneDeps(config, db, { send: async () => {} });
}

const CHUNK = 400;
async function insertChunked<T>(rows: T[], insert: (rows: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Seed Jinquan, then add generated communities until there are `lockerSites` sites and `halls` halls. Returns the site count. */
export async function seedScaledSubdistrict(
  deps: AppDeps,
  target: { lockerSites: number; halls: number },
): Promise<number> {
  await seedDemo(deps);
  return deps.db.transaction().execute(async (trx) => {
    const have = Number(
      (
        await trx
          .selectFrom('locker_sites')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const haveHalls = Number(
      (
        await trx
          .selectFrom('halls')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const missing = target.lockerSites - have;
    const extraCommunities = Math.max(0, target.halls - haveHalls, missing > 0 ? 1 : 0);
    if (missing <= 0 || extraCommunities === 0) return have;
    const subdistrictId = (
      await trx.selectFrom('subdistricts').select('id').executeTakeFirstOrThrow()
    ).id;
    const at = iso(deps.clock.now());
    const id = () => newId(deps.clock, deps.random);
    const perCommunity = Math.ceil(missing / extraCommunities);
    const rows = {
      communities: [] as places.CommunityRow[],
      compounds: [] as places.CompoundRow[],
      grids: [] as places.GridRow[],
      buildings: [] as places.BuildingRow[],
      units: [] as places.UnitRow[],
      sites: [] as places.LockerSiteRow[],
      halls: [] as places.HallRow[],
    };
    let left = missing;
    for (let c = 1; c <= extraCommunities; c++) {
      const communityId = id();
      const compoundId = id();
      const name = `压测社区${String(c).padStart(2, '0')}`;
      rows.communities.push({
        id: communityId,
        subdistrict_id: subdistrictId,
        name,
        created_at: at,
      });
      rows.compounds.push({
        id: compoundId,
        community_id: communityId,
        name: `${name}小区`,
        address: `成都市金牛区金泉街道${name}`,
        created_at: at,
      });
      const gridId = id();
      rows.grids.push({
        id: gridId,
        community_id: communityId,
        name: '第一网格',
        service_phone: `028-8760${String(c).padStart(4, '0')}`,
        created_at: at,
      });
      rows.halls.push({
        id: id(),
        community_id: communityId,
        compound_id: compoundId,
        name: `${name}蚁巢服务馆`,
        address: `${name}小区东门`,
        opening_hours: '08:00-21:00',
        created_at: at,
      });
      const base = { community_id: communityId, compound_id: compoundId, created_at: at };
      const sitesHere = Math.min(left, perCommunity);
      left -= sitesHere;
      // Two unit doors per building, like 两河锦地.
      for (let s = 0; s < sitesHere; s++) {
        const b = Math.floor(s / 2) + 1;
        const u = (s % 2) + 1;
        if (u === 1)
          rows.buildings.push({ ...base, id: id(), grid_id: gridId, name: `${b}栋`, floors: 18 });
        const buildingId = rows.buildings[rows.buildings.length - 1]!.id;
        const unitId = id();
        rows.units.push({
          ...base,
          id: unitId,
          building_id: buildingId,
          name: `${u}单元`,
          households: 36,
        });
        rows.sites.push({
          ...base,
          id: id(),
          building_id: buildingId,
          unit_id: unitId,
          name: `${b}栋${u}单元门口`,
        });
      }
    }
    await insertChunked(rows.communities, (r) => places.insertCommunities(trx, r));
    await insertChunked(rows.compounds, (r) => places.insertCompounds(trx, r));
    await insertChunked(rows.grids, (r) => places.insertGrids(trx, r));
    await insertChunked(rows.halls, (r) => siteRepo.insertHalls(trx, r));
    await insertChunked(rows.buildings, (r) => buildingRepo.insertBuildings(trx, r));
    await insertChunked(rows.units, (r) => buildingRepo.insertUnits(trx, r));
    await insertChunked(rows.sites, (r) => siteRepo.insertLockerSites(trx, r));
    return have + rows.sites.length;
  });
}
