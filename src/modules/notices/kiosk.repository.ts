/** The only SQL on kiosk sessions. */
import type { Executor } from '../../db/database.ts';
import type { KioskSessionTable } from './notice.table.ts';

export type KioskSessionRow = KioskSessionTable;

export async function insertKioskSession(db: Executor, row: KioskSessionRow): Promise<void> {
  await db.insertInto('kiosk_sessions').values(row).execute();
}

/** Kiosk sessions whose time is up and that have not been ended yet. */
export async function expiredKioskSessions(
  db: Executor,
  nowIso: string,
  limit: number,
): Promise<KioskSessionRow[]> {
  return db
    .selectFrom('kiosk_sessions')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('expires_at', '<=', nowIso)
    .limit(limit)
    .execute();
}

/** Mark a kiosk session ended; false when it was not a kiosk session or already ended. */
export async function endKioskSession(
  db: Executor,
  sessionId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('kiosk_sessions')
    .set({ ended_at: nowIso })
    .where('session_id', '=', sessionId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
