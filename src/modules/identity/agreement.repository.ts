/** SQL for agreement acceptances and per-account settings. */
import type { Executor } from '../../db/database.ts';
import type { AgreementAcceptanceTable } from './household.table.ts';

/** Record one acceptance; accepting the same version again keeps the first time. */
export async function insertAcceptance(db: Executor, row: AgreementAcceptanceTable): Promise<void> {
  await db
    .insertInto('agreement_acceptances')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'document', 'version']).doNothing())
    .execute();
}

/** Every acceptance of a user, newest first. */
export async function acceptancesOf(
  db: Executor,
  userId: string,
): Promise<AgreementAcceptanceTable[]> {
  return db
    .selectFrom('agreement_acceptances')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('accepted_at', 'desc')
    .execute();
}

/** A user's elder-mode setting (false when never set). */
export async function elderModeOf(db: Executor, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('user_settings')
    .select('elder_mode')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r?.elder_mode ?? 0) === 1;
}

/** Save a user's elder-mode setting. */
export async function saveElderMode(
  db: Executor,
  userId: string,
  on: boolean,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('user_settings')
    .values({ user_id: userId, elder_mode: on ? 1 : 0, updated_at: nowIso })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ elder_mode: on ? 1 : 0, updated_at: nowIso }),
    )
    .execute();
}
