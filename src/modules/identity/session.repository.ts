/** The only SQL on OTP challenges and refresh sessions. */
import type { Executor } from '../../db/database.ts';
import type { OtpChallengeTable, SessionTable } from './identity.table.ts';

export async function insertOtp(db: Executor, row: OtpChallengeTable): Promise<void> {
  await db.insertInto('otp_challenges').values(row).execute();
}

/** The newest live challenge for a phone: not consumed, not expired. */
export async function latestLiveOtp(
  db: Executor,
  phoneHash: string,
  nowIso: string,
): Promise<OtpChallengeTable | undefined> {
  return db
    .selectFrom('otp_challenges')
    .selectAll()
    .where('phone_hash', '=', phoneHash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Take one of a challenge's guesses before checking it: a single conditional update, so
 * parallel guesses can never check more than `max` codes. False when none is left.
 */
export async function claimOtpAttempt(db: Executor, id: string, max: number): Promise<boolean> {
  const r = await db
    .updateTable('otp_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', max)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Mark a challenge used; false when another request consumed it first. */
export async function consumeOtp(db: Executor, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('otp_challenges')
    .set({ consumed_at: nowIso })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertSession(db: Executor, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSessionByRefreshHash(
  db: Executor,
  hash: string,
): Promise<SessionTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('refresh_hash', '=', hash).executeTakeFirst();
}

/** Revoke one session; false if it was already revoked (a replayed refresh token). */
export async function revokeSession(db: Executor, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: nowIso })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function revokeAllSessions(
  db: Executor,
  userId: string,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: nowIso })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Whether an access token's session still stands: it exists, belongs to the user, is not revoked and has not expired. */
export async function sessionIsLive(
  db: Executor,
  id: string,
  userId: string,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return r !== undefined;
}
