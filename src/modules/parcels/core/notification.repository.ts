/** The only SQL on the notification outbox (SMS and in-app notices of parcels). */
import type { Executor } from '../../../db/database.ts';
import type { NotificationTable } from './parcel.table.ts';

export type NotificationRow = NotificationTable;

/** Queue a notification. */
export async function insertNotification(db: Executor, row: NotificationRow): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/** Several notifications in one statement (an SMS and its in-app copy); each row must set the same columns. */
export async function insertNotifications(
  db: Executor,
  rows: readonly NotificationRow[],
): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('notifications')
      .values([...rows])
      .execute();
}

/** Pending SMS due for an attempt now (notifications_due_idx). */
function dueSms(db: Executor, nowIso: string) {
  return db
    .selectFrom('notifications')
    .where('status', '=', 'pending')
    .where('channel', '=', 'sms')
    .where('next_attempt_at', '<=', nowIso);
}

/** Whether any SMS is due (as claimDueNotifications would find one), read outside any transaction. */
export async function anyDueNotification(db: Executor, nowIso: string): Promise<boolean> {
  return (await dueSms(db, nowIso).select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Claim due notifications and lease them until the retry time (same scheme as the command outbox). */
export async function claimDueNotifications(
  db: Executor,
  nowIso: string,
  retryIso: string,
  limit: number,
): Promise<NotificationRow[]> {
  const rows = await dueSms(db, nowIso)
    .selectAll()
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  const claimed: NotificationRow[] = [];
  for (const r of rows) {
    // Optimistic lease: only the node whose update still sees the attempt count it read gets the row.
    const u = await db
      .updateTable('notifications')
      .set({ attempts: r.attempts + 1, next_attempt_at: retryIso })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', r.attempts)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) === 1) claimed.push(r);
  }
  return claimed;
}

/** Mark an SMS sent and blank its body (it carried a pickup code). */
export async function markNotificationSent(
  db: Executor,
  id: string,
  nowIso: string,
  redacted: string,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'sent', sent_at: nowIso, body: redacted, phone_cipher: null })
    .where('id', '=', id)
    .execute();
}

/** In-app notifications of a user, newest first. */
export async function appNotifications(
  db: Executor,
  userId: string,
  limit: number,
): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('channel', '=', 'app')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
