/** The only SQL on notices (and the place columns notices and activities share). */
import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Executor } from '../../db/database.ts';
import type { Audience } from './audience.ts';
import type { AudienceColumns, NoticeTable } from './notice.table.ts';

export type NoticeRow = NoticeTable;

/** Who a staff list covers: everything (platform) or rows in these subdistricts, communities or halls. */
export interface ManagedFilter {
  all: boolean;
  subdistricts: readonly string[];
  communities: readonly string[];
  halls: readonly string[];
}

type Eb = ExpressionBuilder<DB, 'notices' | 'activities'>;

/** Rows addressed to a place the audience lives in (a reusable fragment for notices and activities). */
export function reachesAudience(a: Audience) {
  return (eb: Eb) =>
    eb.and([
      eb('subdistrict_id', 'in', a.subdistricts),
      eb.or([
        eb('community_id', 'is', null),
        ...(a.communities.length ? [eb('community_id', 'in', a.communities)] : []),
      ]),
      eb.or([
        eb('compound_id', 'is', null),
        ...(a.compounds.length ? [eb('compound_id', 'in', a.compounds)] : []),
      ]),
    ]);
}

/** Rows a staff member manages (a reusable fragment for notices and activities). */
export function managedBy(f: ManagedFilter) {
  return (eb: Eb) =>
    f.all
      ? eb.lit(true)
      : eb.or([
          ...(f.subdistricts.length ? [eb('subdistrict_id', 'in', f.subdistricts)] : []),
          ...(f.communities.length ? [eb('community_id', 'in', f.communities)] : []),
          ...(f.halls.length ? [eb('hall_id', 'in', f.halls)] : []),
          eb.lit(false),
        ]);
}

export async function insertNotice(db: Executor, row: NoticeRow): Promise<void> {
  await db.insertInto('notices').values(row).execute();
}

export async function findNotice(db: Executor, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateNotice(
  db: Executor,
  id: string,
  patch: Partial<
    Pick<NoticeRow, 'title' | 'body' | 'urgent' | 'pinned_until' | 'expires_at' | 'updated_at'>
  >,
): Promise<void> {
  await db.updateTable('notices').set(patch).where('id', '=', id).execute();
}

/** Notices standing at `nowIso` that reach the audience: urgent first, then pinned, then newest. */
export async function standingNotices(
  db: Executor,
  a: Audience,
  nowIso: string,
  limit: number,
): Promise<NoticeRow[]> {
  if (a.subdistricts.length === 0) return [];
  return db
    .selectFrom('notices')
    .selectAll()
    .where(reachesAudience(a))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]))
    .orderBy('urgent', 'desc')
    .orderBy((eb) => eb.case().when('pinned_until', '>', nowIso).then(1).else(0).end(), 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Notices a staff member manages, expired ones too, newest first. */
export async function managedNotices(
  db: Executor,
  f: ManagedFilter,
  limit: number,
  offset: number,
): Promise<NoticeRow[]> {
  return db
    .selectFrom('notices')
    .selectAll()
    .where(managedBy(f))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The place columns of a notice or activity (the access resolvers' lookup). */
export async function findAudience(
  db: Executor,
  kind: 'notice' | 'activity',
  id: string,
): Promise<AudienceColumns | undefined> {
  return db
    .selectFrom(kind === 'notice' ? 'notices' : 'activities')
    .select(['scope_kind', 'subdistrict_id', 'community_id', 'compound_id', 'hall_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}
