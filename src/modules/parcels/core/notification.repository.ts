/** The only SQL on the notification outbox (SMS and in-app notices of parcels). */
import type { Executor } from '../../../db/database.ts';
import { prepare, prepareRows } from '../../../db/prepared.ts';
import type { NotificationTable } from './parcel.table.ts';

export type NotificationRow = NotificationTable;

// A stored parcel's SMS and its in-app copy, then the SMS marked sent: every parcel cycle
// (ADR 0040). Every column is written; a row without a topic has none (null).
const NOTIFICATION_COLUMNS = [
  'id',
  'community_id',
  'parcel_id',
  'user_id',
  'channel',
  'phone_cipher',
  'body',
  'status',
  'attempts',
  'next_attempt_at',
  'created_at',
  'sent_at',
  'topic',
] as const satisfies readonly (keyof NotificationRow)[];
const notificationsInsert = prepareRows<NotificationRow>(NOTIFICATION_COLUMNS, (db, rows) =>
  db.insertInto('notifications').values(rows as never),
);
const sentMark = prepare<{ id: string; nowIso: string; redacted: string }, never>((db, p) =>
  db
    .updateTable('notifications')
    .set({ status: 'sent', sent_at: p('nowIso'), body: p('redacted'), phone_cipher: null })
    .where('id', '=', p('id')),
);

/** Queue a notification. */
export async function insertNotification(db: Executor, row: NotificationRow): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/** Several notifications in one statement (an SMS and its in-app copy). */
export async function insertNotifications(
  db: Executor,
  rows: readonly NotificationRow[],
): Promise<void> {
  await notificationsInsert.write(
    db,
    rows.map((r) => (r.topic === undefined ? { ...r, topic: null } : r)),
  );
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

/**
 * Make due now the pending SMS whose lease is still running but ends before
 * `leaseEndsBeforeIso`: claims of a process that is gone (see releaseDeadLeases). Returns how many.
 */
export async function releaseSmsLeases(
  db: Executor,
  nowIso: string,
  leaseEndsBeforeIso: string,
): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ next_attempt_at: nowIso })
    .where('status', '=', 'pending')
    .where('channel', '=', 'sms')
    .where('attempts', '>', 0)
    .where('next_attempt_at', '>', nowIso)
    .where('next_attempt_at', '<', leaseEndsBeforeIso)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Mark an SMS sent and blank its body (it carried a pickup code). */
export async function markNotificationSent(
  db: Executor,
  id: string,
  nowIso: string,
  redacted: string,
): Promise<void> {
  await sentMark.run(db, { id, nowIso, redacted });
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
