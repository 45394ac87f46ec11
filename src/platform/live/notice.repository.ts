/**
 * The live poller's SQL for notices and activities (issue 15): what changed, and the places
 * a resident or a hall kiosk hears about. Ids and places only, never content.
 */
import type { Executor } from '../../db/database.ts';

/** A notice or activity written or changed (published, made urgent or pinned, expired, a seat taken). */
export interface NoticeChange {
  kind: 'notice' | 'activity';
  id: string;
  at: string;
  /** The place it addresses: its compound, else its community, else its subdistrict. */
  placeId: string;
}

/** Notices and activities changed at or after `since`, oldest first. */
export async function noticeChangesSince(
  db: Executor,
  since: string,
  limit: number,
): Promise<NoticeChange[]> {
  const cols = ['id', 'updated_at', 'subdistrict_id', 'community_id', 'compound_id'] as const;
  const [notices, activities] = await Promise.all([
    db
      .selectFrom('notices')
      .select(cols)
      .where('updated_at', '>=', since)
      .orderBy('updated_at')
      .limit(limit)
      .execute(),
    db
      .selectFrom('activities')
      .select(cols)
      .where('updated_at', '>=', since)
      .orderBy('updated_at')
      .limit(limit)
      .execute(),
  ]);
  const place = (r: (typeof notices)[number]) =>
    r.compound_id ?? r.community_id ?? r.subdistrict_id;
  return [
    ...notices.map((r) => ({
      kind: 'notice' as const,
      id: r.id,
      at: r.updated_at,
      placeId: place(r),
    })),
    ...activities.map((r) => ({
      kind: 'activity' as const,
      id: r.id,
      at: r.updated_at,
      placeId: place(r),
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The places a resident's notices may address: the compounds, communities and subdistricts of their units. */
export async function placesOfUnits(
  db: Executor,
  unitIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  if (unitIds.length === 0) return out;
  const rows = await db
    .selectFrom('units as u')
    .innerJoin('communities as c', 'c.id', 'u.community_id')
    .select(['u.compound_id', 'u.community_id', 'c.subdistrict_id'])
    .where('u.id', 'in', [...unitIds])
    .execute();
  for (const r of rows)
    for (const id of [r.compound_id, r.community_id, r.subdistrict_id]) out.add(id);
  return out;
}

/** The places a hall's board shows notices for (its compound if any, community, subdistrict); null for no such hall. */
export async function placesOfHall(db: Executor, hallId: string): Promise<Set<string> | null> {
  const r = await db
    .selectFrom('halls as h')
    .innerJoin('communities as c', 'c.id', 'h.community_id')
    .select(['h.compound_id', 'h.community_id', 'c.subdistrict_id'])
    .where('h.id', '=', hallId)
    .executeTakeFirst();
  if (!r) return null;
  return new Set([r.community_id, r.subdistrict_id, ...(r.compound_id ? [r.compound_id] : [])]);
}
