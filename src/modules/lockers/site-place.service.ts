/**
 * Keeping the directory's copy of place names (ADR 0038): a site's row is copied from places
 * when a cabinet is registered there, and places' `place.renamed` event updates it in the
 * renaming transaction, so the directory never reads places' tables.
 */
import { forgetLockerPlaces } from './cabinet.presenter.ts';
import type { Executor } from '../../db/database.ts';
import { onPlaceEvent, type PlaceEventMap, sitePlaces } from '../places/index.ts';
import { renameInSitePlaces, upsertSitePlaces } from './site-place.repository.ts';

/** Copy these sites' place names from places (again, if already copied). */
export async function copySitePlaces(db: Executor, siteIds: readonly string[]): Promise<void> {
  const places = await sitePlaces(db, siteIds);
  await upsertSitePlaces(
    db,
    [...places.values()].map((p) => ({
      site_id: p.siteId,
      community_id: p.communityId,
      compound_id: p.compoundId,
      building_id: p.buildingId,
      unit_id: p.unitId,
      community_name: p.community,
      compound_name: p.compound,
      building_name: p.building,
      unit_name: p.unit,
      site_name: p.site,
    })),
  );
}

/** places' rename, applied to the copy. */
async function renamed(trx: Executor, e: PlaceEventMap['place.renamed']): Promise<void> {
  await renameInSitePlaces(trx, e.kind, e.id, e.name);
  forgetLockerPlaces(trx);
}

/** Subscribe lockers to places' events (buildApp calls it; subscribing twice is a no-op). */
export function subscribeLockersToPlaces(): void {
  onPlaceEvent('place.renamed', renamed);
}
