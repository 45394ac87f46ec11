/**
 * Managing buildings and units under a compound: each create derives community_id from the
 * parent row, rejects a duplicate name under the same parent and is audited in the same
 * transaction (the levels above are in places.service.ts).
 */
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import * as buildingRepo from './building.repository.ts';
import { emitPlaceEvent } from './place.events.ts';
import * as present from './places.presenter.ts';
import * as repo from './places.repository.ts';
import type { BuildingView, UnitDetail, UnitView } from './places.schemas.ts';
import {
  type Actor,
  auditPlace,
  ensureNameFree,
  gridInCommunity,
  stamp,
} from './places.service.ts';

/** A page of the buildings of a compound. */
export async function listBuildings(
  deps: AppDeps,
  compoundId: string,
  page: repo.Page,
): Promise<BuildingView[]> {
  const compound = await repo.findCompound(deps.db, compoundId);
  if (!compound) throw notFound('That compound');
  return (await buildingRepo.listBuildings(deps.db, compound.community_id, compound.id, page)).map(
    present.presentBuilding,
  );
}

/** Add a building to a compound, optionally in a grid of the same community. */
export async function createBuilding(
  deps: AppDeps,
  actor: Actor,
  compoundId: string,
  input: { name: string; floors: number; gridId?: string | null },
): Promise<BuildingView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const compound = await repo.findCompound(trx, compoundId);
    if (!compound) throw notFound('That compound');
    await ensureNameFree(trx, 'buildings', compound, name, 'building');
    const gridId = await gridInCommunity(trx, input.gridId, compound.community_id);
    const { id, at } = stamp(deps);
    const row: repo.BuildingRow = {
      id,
      community_id: compound.community_id,
      compound_id: compound.id,
      grid_id: gridId,
      name,
      floors: input.floors,
      created_at: at,
    };
    await buildingRepo.insertBuildings(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'building.create',
      { kind: 'building', id, communityId: row.community_id },
      { name, gridId },
    );
    return present.presentBuilding(row);
  });
}

/** Rename a building, change its floors, or move it to another grid of its community (null = no grid). */
export async function updateBuilding(
  deps: AppDeps,
  actor: Actor,
  buildingId: string,
  patch: { name?: string; floors?: number; gridId?: string | null },
): Promise<BuildingView> {
  return deps.db.transaction().execute(async (trx) => {
    const b = await buildingRepo.findBuilding(trx, buildingId);
    if (!b) throw notFound('That building');
    const set: Parameters<typeof buildingRepo.updateBuilding>[2] = {};
    const name = patch.name?.trim();
    if (name !== undefined && name !== b.name) {
      const compound = (await repo.findCompound(trx, b.compound_id))!;
      await ensureNameFree(trx, 'buildings', compound, name, 'building');
      set.name = name;
    }
    if (patch.floors !== undefined) set.floors = patch.floors;
    if (patch.gridId !== undefined)
      set.grid_id = await gridInCommunity(trx, patch.gridId, b.community_id);
    if (Object.keys(set).length > 0) {
      await buildingRepo.updateBuilding(trx, b.id, set);
      if (set.name !== undefined)
        await emitPlaceEvent(trx, 'place.renamed', { kind: 'building', id: b.id, name: set.name });
      await auditPlace(
        deps,
        trx,
        actor,
        'building.update',
        { kind: 'building', id: b.id, communityId: b.community_id },
        { ...set, before: { name: b.name, floors: b.floors, grid_id: b.grid_id } },
      );
    }
    return present.presentBuilding({ ...b, ...set });
  });
}

/** A page of the units of a building. */
export async function listUnits(
  deps: AppDeps,
  buildingId: string,
  page: repo.Page,
): Promise<UnitView[]> {
  const b = await buildingRepo.findBuilding(deps.db, buildingId);
  if (!b) throw notFound('That building');
  return (await buildingRepo.listUnits(deps.db, b.community_id, b.id, page)).map(
    present.presentUnit,
  );
}

/** Add a unit (单元) to a building. */
export async function createUnit(
  deps: AppDeps,
  actor: Actor,
  buildingId: string,
  input: { name: string; households: number },
): Promise<UnitView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const b = await buildingRepo.findBuilding(trx, buildingId);
    if (!b) throw notFound('That building');
    await ensureNameFree(trx, 'units', b, name, 'unit');
    const { id, at } = stamp(deps);
    const row: repo.UnitRow = {
      id,
      community_id: b.community_id,
      compound_id: b.compound_id,
      building_id: b.id,
      name,
      households: input.households,
      created_at: at,
    };
    await buildingRepo.insertUnits(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'unit.create',
      { kind: 'unit', id, communityId: b.community_id },
      { name },
    );
    return present.presentUnit(row);
  });
}

/** One unit with the names of its building, compound and community. */
export async function getUnit(deps: AppDeps, unitId: string): Promise<UnitDetail> {
  const [u] = await buildingRepo.findUnitsInContext(deps.db, [unitId]);
  if (!u) throw notFound('That unit');
  return present.presentUnitDetail(u);
}
