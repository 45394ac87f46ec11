/**
 * Cabinets at one door told apart. A site (a unit door) can hold several cabinets; people
 * tell them apart by the number painted on each, "1号柜", "2号柜", in the order they were
 * installed (locker ids sort that way). A cabinet alone at its door needs no number.
 */
import type { Executor } from '../../db/database.ts';
import { RowCache } from '../../db/row-cache.ts';
import { communityNames, siteNames } from '../places/index.ts';
import { activeCabinetsAt } from './directory.repository.ts';
import { lockersByIds } from './locker.repository.ts';

/** "2号柜" for the second of several cabinets at a door; '' for a cabinet alone. */
export function cabinetLabel(position: number, count: number): string {
  return count > 1 ? `${position}号柜` : '';
}

/** The label of every active cabinet at these sites, by locker id. */
export async function cabinetLabels(
  db: Executor,
  siteIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (siteIds.length === 0) return out;
  const rows = await activeCabinetsAt(db, siteIds);
  const bySite = new Map<string, string[]>();
  for (const r of rows) bySite.set(r.site_id, [...(bySite.get(r.site_id) ?? []), r.id]);
  for (const ids of bySite.values())
    ids.forEach((id, i) => out.set(id, cabinetLabel(i + 1, ids.length)));
  return out;
}

/** How a person names a cabinet: "清淳家园 1栋1单元门口 2号柜" (the number only when the door has several). */
export function placeName(compound: string, site: string, label: string): string {
  return [compound, site, label].filter(Boolean).join(' ');
}

/** The place name of each of these lockers ("清淳家园 1栋1单元门口 2号柜"), by id; for lists a person reads (今日投递). */
export async function lockerPlaceNames(
  db: Executor,
  lockerIds: readonly string[],
): Promise<Map<string, string>> {
  const rows = [...(await lockerPlaces(db, lockerIds)).values()];
  const labels = await cabinetLabels(
    db,
    rows.map((r) => r.site_id),
  );
  return new Map(rows.map((r) => [r.id, placeName(r.compound, r.site, labels.get(r.id) ?? '')]));
}

/** Where a locker stands, in names: the locker's, its site's, compound's and community's. */
export interface LockerPlace {
  id: string;
  site_id: string;
  locker: string;
  site: string;
  compound: string;
  community: string;
}

/**
 * Where one locker stands, from memory after the first read: every stored parcel's SMS names
 * it. Dropped on this node by any place rename (site-place.service.ts); another node's rename
 * shows here within PLACE_TTL_MS.
 */
export async function lockerPlaceCached(
  db: Executor,
  lockerId: string,
): Promise<LockerPlace | undefined> {
  return placeOfLocker.get(db, lockerId, async () =>
    (await lockerPlaces(db, [lockerId])).get(lockerId),
  );
}

/** How long another node's place rename may take to reach a cached locker place. */
export const PLACE_TTL_MS = 60_000;
const placeOfLocker = new RowCache<LockerPlace>(PLACE_TTL_MS);

/** A place was renamed: names in cached locker places may be stale. */
export function forgetLockerPlaces(db: Executor): void {
  placeOfLocker.clear(db);
}

/**
 * The names of these lockers' places, by locker id; a locker whose site or community is
 * missing is absent. The place names come from places (a module's SQL touches only its own
 * tables).
 */
export async function lockerPlaces(
  db: Executor,
  lockerIds: readonly string[],
): Promise<Map<string, LockerPlace>> {
  const lockers = await lockersByIds(db, lockerIds);
  const sites = await siteNames(
    db,
    lockers.map((l) => l.site_id),
  );
  const communities = await communityNames(
    db,
    lockers.map((l) => l.community_id),
  );
  const out = new Map<string, LockerPlace>();
  for (const l of lockers) {
    const s = sites.get(l.site_id);
    const community = communities.get(l.community_id);
    if (s && community !== undefined)
      out.set(l.id, {
        id: l.id,
        site_id: l.site_id,
        locker: l.name,
        site: s.site,
        compound: s.compound,
        community,
      });
  }
  return out;
}
