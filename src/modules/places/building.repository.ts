/** The only SQL on buildings and units: inserts, lookups, natural-order pages and units in context. */
import type { Executor } from '../../db/database.ts';
import { type BuildingRow, naturalOrder, type Page, type UnitRow } from './places.repository.ts';

/** Insert buildings. */
export async function insertBuildings(
  db: Executor,
  rows: BuildingRow | BuildingRow[],
): Promise<void> {
  await db.insertInto('buildings').values(rows).execute();
}

/** One building by id. */
export async function findBuilding(db: Executor, id: string): Promise<BuildingRow | undefined> {
  return db.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of the buildings of a compound. */
export async function listBuildings(
  db: Executor,
  communityId: string,
  compoundId: string,
  page: Page,
): Promise<BuildingRow[]> {
  const q = db
    .selectFrom('buildings')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('compound_id', '=', compoundId);
  return q.$call(naturalOrder).limit(page.limit).offset(page.offset).execute();
}

/** Change a building's name, floors or grid. */
export async function updateBuilding(
  db: Executor,
  id: string,
  patch: Partial<Pick<BuildingRow, 'name' | 'floors' | 'grid_id'>>,
): Promise<void> {
  await db.updateTable('buildings').set(patch).where('id', '=', id).execute();
}

/** Insert units. */
export async function insertUnits(db: Executor, rows: UnitRow | UnitRow[]): Promise<void> {
  await db.insertInto('units').values(rows).execute();
}

/** One unit by id. */
export async function findUnit(db: Executor, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of the units of a building. */
export async function listUnits(
  db: Executor,
  communityId: string,
  buildingId: string,
  page: Page,
): Promise<UnitRow[]> {
  const q = db
    .selectFrom('units')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('building_id', '=', buildingId);
  return q.$call(naturalOrder).limit(page.limit).offset(page.offset).execute();
}

/** Units with the names of the places around them, and their building's grid (left joined). */
function unitsInContext(db: Executor) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('compounds as cp', 'cp.id', 'u.compound_id')
    .innerJoin('communities as cm', 'cm.id', 'u.community_id')
    .leftJoin('grids as g', 'g.id', 'b.grid_id')
    .selectAll('u')
    .select([
      'b.name as building_name',
      'cp.name as compound_name',
      'cp.address as compound_address',
      'cm.name as community_name',
      'b.grid_id',
      'g.name as grid_name',
      'g.service_phone as grid_service_phone',
    ]);
}

export type UnitInContext = UnitRow & {
  building_name: string;
  compound_name: string;
  compound_address: string;
  community_name: string;
  grid_id: string | null;
  grid_name: string | null;
  grid_service_phone: string | null;
};

/** Units by id, each with its building, compound, community and grid. */
export async function findUnitsInContext(
  db: Executor,
  unitIds: readonly string[],
): Promise<UnitInContext[]> {
  if (unitIds.length === 0) return [];
  return unitsInContext(db).where('u.id', 'in', unitIds).orderBy('u.id').execute();
}
