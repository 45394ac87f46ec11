/**
 * What a community offers around its buildings: service halls, locker sites at unit
 * doors, and published police contacts. Same rules as the hierarchy: the community
 * comes from the parent row, names are unique per parent, every change is audited.
 */
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import * as present from './places.presenter.ts';
import * as repo from './places.repository.ts';
import * as siteRepo from './site.repository.ts';
import * as buildingRepo from './building.repository.ts';
import type { HallView, LockerSiteView, PoliceContactView } from './places.schemas.ts';
import {
  type Actor,
  auditPlace,
  ensureNameFree,
  gridInCommunity,
  requireCommunity,
  stamp,
} from './places.service.ts';

/** The service halls of a community. */
export async function listHalls(deps: AppDeps, communityId: string): Promise<HallView[]> {
  return (await siteRepo.listHalls(deps.db, [communityId])).map(present.presentHall);
}

/** One service hall. */
export async function getHall(deps: AppDeps, hallId: string): Promise<HallView> {
  const h = await siteRepo.findHall(deps.db, hallId);
  if (!h) throw notFound('That hall');
  return present.presentHall(h);
}

/** Open a service hall in a community, optionally inside one of its compounds. */
export async function createHall(
  deps: AppDeps,
  actor: Actor,
  communityId: string,
  input: { name: string; address: string; openingHours: string; compoundId?: string | null },
): Promise<HallView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const community = await requireCommunity(trx, communityId);
    await ensureNameFree(trx, 'halls', community, name, 'hall');
    let compoundId: string | null = null;
    if (input.compoundId) {
      const cp = await repo.findCompound(trx, input.compoundId);
      if (!cp || cp.community_id !== community.id) {
        throw new AppError(
          'validation_failed',
          `compoundId ${input.compoundId} is not a compound of ${community.name}; pick one from GET /api/v1/communities/${community.id}/compounds.`,
        );
      }
      compoundId = cp.id;
    }
    const { id, at } = stamp(deps);
    const row: repo.HallRow = {
      id,
      community_id: community.id,
      compound_id: compoundId,
      name,
      address: input.address.trim(),
      opening_hours: input.openingHours,
      created_at: at,
    };
    await siteRepo.insertHalls(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'hall.create',
      { kind: 'hall', id, communityId: community.id },
      { name },
    );
    return present.presentHall(row);
  });
}

/** A page of the locker sites of a community. */
export async function listLockerSites(
  deps: AppDeps,
  communityId: string,
  page: repo.Page,
): Promise<LockerSiteView[]> {
  return (await siteRepo.listLockerSites(deps.db, communityId, page)).map(
    present.presentLockerSite,
  );
}

/** Add a locker site to a building: at one unit's door (unitId) or for the whole building. */
export async function createLockerSite(
  deps: AppDeps,
  actor: Actor,
  buildingId: string,
  input: { name?: string; unitId?: string | null },
): Promise<LockerSiteView> {
  return deps.db.transaction().execute(async (trx) => {
    const b = await buildingRepo.findBuilding(trx, buildingId);
    if (!b) throw notFound('That building');
    let unit: repo.UnitRow | undefined;
    if (input.unitId) {
      unit = await buildingRepo.findUnit(trx, input.unitId);
      if (!unit || unit.building_id !== b.id) {
        throw new AppError(
          'validation_failed',
          `unitId ${input.unitId} is not a unit of ${b.name}; pick one from GET /api/v1/buildings/${b.id}/units.`,
        );
      }
    }
    const name = input.name?.trim() ?? `${b.name}${unit ? unit.name : ''}门口`;
    await ensureNameFree(trx, 'locker_sites', b, name, 'locker site');
    const { id, at } = stamp(deps);
    const row: repo.LockerSiteRow = {
      id,
      community_id: b.community_id,
      compound_id: b.compound_id,
      building_id: b.id,
      unit_id: unit?.id ?? null,
      name,
      created_at: at,
    };
    await siteRepo.insertLockerSites(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'locker_site.create',
      { kind: 'locker_site', id, communityId: b.community_id },
      { name, unitId: row.unit_id },
    );
    return present.presentLockerSite(row);
  });
}

/** The published police contacts of a community. */
export async function listPoliceContacts(
  deps: AppDeps,
  communityId: string,
): Promise<PoliceContactView[]> {
  return (await siteRepo.listPoliceContacts(deps.db, [communityId])).map(
    present.presentPoliceContact,
  );
}

/** Publish a police contact (社区民警) for a community, optionally for one of its grids. */
export async function createPoliceContact(
  deps: AppDeps,
  actor: Actor,
  communityId: string,
  input: { name: string; title?: string; workPhone: string; gridId?: string | null },
): Promise<PoliceContactView> {
  const name = input.name.trim();
  return deps.db.transaction().execute(async (trx) => {
    const community = await requireCommunity(trx, communityId);
    await ensureNameFree(trx, 'police_contacts', community, name, 'police contact');
    const gridId = await gridInCommunity(trx, input.gridId, community.id);
    const { id, at } = stamp(deps);
    const row: repo.PoliceContactRow = {
      id,
      community_id: community.id,
      grid_id: gridId,
      name,
      title: input.title?.trim() ?? '社区民警',
      work_phone: input.workPhone.trim(),
      created_at: at,
    };
    await siteRepo.insertPoliceContacts(trx, row);
    await auditPlace(
      deps,
      trx,
      actor,
      'police_contact.create',
      { kind: 'police_contact', id, communityId: community.id },
      { name, gridId },
    );
    return present.presentPoliceContact(row);
  });
}
