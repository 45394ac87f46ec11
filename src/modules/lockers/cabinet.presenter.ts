/**
 * Cabinets at one door told apart. A site (a unit door) can hold several cabinets; people
 * tell them apart by the number painted on each, "1号柜", "2号柜", in the order they were
 * installed (locker ids sort that way). A cabinet alone at its door needs no number.
 */
import type { Executor } from '../../db/database.ts';
import { activeCabinetsAt, placesOfLockers } from './directory.repository.ts';

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
  const rows = await placesOfLockers(db, lockerIds);
  const labels = await cabinetLabels(
    db,
    rows.map((r) => r.site_id),
  );
  return new Map(rows.map((r) => [r.id, placeName(r.compound, r.site, labels.get(r.id) ?? '')]));
}
