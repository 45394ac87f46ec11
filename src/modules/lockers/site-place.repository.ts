/** The only SQL on locker_site_places: the directory's copy of place names (ADR 0038). */
import type { Executor } from '../../db/database.ts';
import type { LockerSitePlaceTable } from './directory.table.ts';
import type { RenamedPlaceKind } from '../places/index.ts';

export type SitePlaceRow = LockerSitePlaceTable;

/** Insert these sites' rows, or overwrite them with the names given. */
export async function upsertSitePlaces(db: Executor, rows: readonly SitePlaceRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('locker_site_places')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({
        community_id: eb.ref('excluded.community_id'),
        compound_id: eb.ref('excluded.compound_id'),
        building_id: eb.ref('excluded.building_id'),
        unit_id: eb.ref('excluded.unit_id'),
        community_name: eb.ref('excluded.community_name'),
        compound_name: eb.ref('excluded.compound_name'),
        building_name: eb.ref('excluded.building_name'),
        unit_name: eb.ref('excluded.unit_name'),
        site_name: eb.ref('excluded.site_name'),
      })),
    )
    .execute();
}

/** Which id column and which name column a rename of each kind of place touches. */
const RENAMED = {
  community: ['community_id', 'community_name'],
  compound: ['compound_id', 'compound_name'],
  building: ['building_id', 'building_name'],
  unit: ['unit_id', 'unit_name'],
  site: ['site_id', 'site_name'],
} as const;

/** Copy a place's new name onto every site row under it. */
export async function renameInSitePlaces(
  db: Executor,
  kind: RenamedPlaceKind,
  id: string,
  name: string,
): Promise<void> {
  const [idCol, nameCol] = RENAMED[kind];
  await db
    .updateTable('locker_site_places')
    .set({ [nameCol]: name })
    .where(idCol, '=', id)
    .execute();
}

/** The site and compound of each of these lockers (any status), for ordering by recent use. */
export async function sitesOfLockers(
  db: Executor,
  lockerIds: readonly string[],
): Promise<{ id: string; site_id: string; compound_id: string }[]> {
  if (lockerIds.length === 0) return [];
  return db
    .selectFrom('lockers as l')
    .innerJoin('locker_site_places as p', 'p.site_id', 'l.site_id')
    .select(['l.id', 'l.site_id', 'p.compound_id'])
    .where('l.id', 'in', [...new Set(lockerIds)])
    .execute();
}
