/** SQL for the hall's catalogue and profile. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { HallItemTable, HallProfileTable } from './hall.table.ts';

export type ItemRow = Selectable<HallItemTable>;
export type ProfileRow = Selectable<HallProfileTable>;

/** The hall's profile (phone, intro), if set. */
export async function findProfile(db: Executor, hallId: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom('hall_profiles')
    .selectAll()
    .where('hall_id', '=', hallId)
    .executeTakeFirst();
}

/** Insert or replace a hall's profile. */
export async function saveProfile(db: Executor, row: ProfileRow): Promise<void> {
  await db
    .insertInto('hall_profiles')
    .values(row)
    .onConflict((oc) =>
      oc.column('hall_id').doUpdateSet({
        phone: row.phone,
        intro: row.intro,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** A hall's items, active ones only unless `all`. */
export async function listItems(db: Executor, hallId: string, all = false): Promise<ItemRow[]> {
  return db
    .selectFrom('hall_items')
    .selectAll()
    .where('hall_id', '=', hallId)
    .$if(!all, (q) => q.where('active', '=', 1))
    .orderBy('category')
    .orderBy('name')
    .execute();
}

/** Items by id (any hall). */
export async function findItems(db: Executor, ids: readonly string[]): Promise<ItemRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('hall_items')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** Insert catalogue items. */
export async function insertItems(db: Executor, rows: ItemRow | ItemRow[]): Promise<void> {
  await db.insertInto('hall_items').values(rows).execute();
}

/** Change an item's fields. */
export async function updateItem(
  db: Executor,
  id: string,
  patch: Partial<Omit<ItemRow, 'id' | 'hall_id' | 'community_id'>>,
): Promise<void> {
  await db.updateTable('hall_items').set(patch).where('id', '=', id).execute();
}

/**
 * Take `n` from an item's stock only if that many are left: the one guard that keeps stock
 * from going negative when orders race (the row lock serialises them; the loser sees 0 rows).
 */
export async function takeStock(db: Executor, itemId: string, n: number): Promise<boolean> {
  const r = await db
    .updateTable('hall_items')
    .set((eb) => ({ stock: eb('stock', '-', n) }))
    .where('id', '=', itemId)
    .where('stock', '>=', n)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Give stock back (a cancelled or expired order); services (null stock) are unchanged. */
export async function returnStock(db: Executor, itemId: string, n: number): Promise<void> {
  await db
    .updateTable('hall_items')
    .set((eb) => ({ stock: eb('stock', '+', n) }))
    .where('id', '=', itemId)
    .where('stock', 'is not', null)
    .execute();
}

/** Active products at or below their alert level. */
export async function lowStock(db: Executor, hallId: string): Promise<ItemRow[]> {
  return db
    .selectFrom('hall_items')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('active', '=', 1)
    .where('kind', '=', 'product')
    .whereRef('stock', '<=', 'low_stock')
    .orderBy('stock')
    .execute();
}
