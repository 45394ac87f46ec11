/**
 * The notification outbox: queued parcel notices are sent once each, then their body is
 * blanked. A notice with a topic goes as a WeChat subscribe message when its recipient has
 * a grant left for that topic (one is taken), by SMS otherwise (ADR 0033). A notice queued
 * by a node's own transaction is sent by that node right after the commit (queueSms); the
 * poller finds the rest, and retries what failed.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../../../db/database.ts';
import { afterCommit, commitsLater } from '../../../db/transact.ts';
import { iso } from '../../../platform/clock.ts';
import type { Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { redactDigits } from '../../../platform/notify/sms.ts';
import * as notificationRepo from '../core/notification.repository.ts';
import { notifyResident } from '../../identity/index.ts';
import { miniprogramPage } from '../../../kernel/miniprogram-pages.ts';

/** The subscribe-message topics of parcel notices, with the title their template shows. */
const TOPIC_TITLES = {
  parcel_arrived: '包裹已存入快递柜',
  overdue_reminder: '包裹即将超过免费保管期',
} as const;
type ParcelTopic = keyof typeof TOPIC_TITLES;
const isTopic = (t: string | null | undefined): t is ParcelTopic =>
  t === 'parcel_arrived' || t === 'overdue_reminder';

/** How long a claimed notice is held by its node before another may retry it. */
export const NOTICE_LEASE_MS = 30_000;

/** Per app (its deps): the node's sender of notices queued already leased. */
const directSenders = new WeakMap<object, (n: notificationRepo.NotificationRow) => void>();

/** Apps with a notice queued for the poller since the last `takeQueuedHint`. */
const queuedForPoller = new WeakSet<object>();

/** Let `send` take notices queued in a `transact` transaction right after it commits (the parcels runtime); returns the undo. */
export function sendNoticesDirectly(
  deps: object,
  send: (n: notificationRepo.NotificationRow) => void,
): () => void {
  directSenders.set(deps, send);
  return () => {
    if (directSenders.get(deps) === send) directSenders.delete(deps);
  };
}

/** Whether a notice was queued for the poller since the last call (then poll now rather than within the second). */
export function takeQueuedHint(deps: object): boolean {
  return queuedForPoller.delete(deps);
}

/**
 * Queue an SMS notice. Inside a `transact` transaction on a node whose parcels runtime runs,
 * the row goes in already leased to this node and is handed to it after the commit: sent at
 * once, with no poll to find it and no claim to take it. Should the node die first, the lease
 * runs out and any node's poller sends it (at least once, as before). Otherwise it waits for
 * the poller.
 */
export async function queueSms(
  db: Executor,
  deps: Pick<AppDeps, 'clock'>,
  row: notificationRepo.NotificationRow,
  /** Rows that go in with it, in the same statement (its in-app copy, already sent); same columns as `row`. */
  alongside: readonly notificationRepo.NotificationRow[] = [],
): Promise<void> {
  const send = directSenders.get(deps);
  if (!send || !commitsLater(db)) {
    queuedForPoller.add(deps);
    return notificationRepo.insertNotifications(db, [row, ...alongside]);
  }
  const leased = {
    ...row,
    attempts: row.attempts + 1,
    next_attempt_at: iso(deps.clock.now() + NOTICE_LEASE_MS),
  };
  await notificationRepo.insertNotifications(db, [leased, ...alongside]);
  afterCommit(db, () => send(leased));
}

/**
 * On the sole node of its database (SQLite), SMS the previous process claimed and never marked
 * sent are due at once instead of when their lease ends (up to NOTICE_LEASE_MS later): no live
 * process holds them. A resident whose parcel went in just before a crash gets
 * the code about as soon as the node is back, not half a minute after. Only leases that end
 * before `startedAt + NOTICE_LEASE_MS` are taken: this process's own claims end later. On
 * PostgreSQL another node may be sending them; they wait for their lease there.
 * At least once, as before: a notice the dead process sent but had not marked goes again.
 */
export async function releaseDeadLeases(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  startedAt: number,
): Promise<number> {
  return notificationRepo.releaseSmsLeases(
    deps.db,
    iso(deps.clock.now()),
    iso(startedAt + NOTICE_LEASE_MS),
  );
}

/** Send due SMS once each; the body (with the code) is blanked after sending. */
export async function sendDueNotifications(
  deps: AppDeps,
  log: FastifyBaseLogger,
  batch = 100,
): Promise<number> {
  const now = deps.clock.now();
  // SMS are sent by the node that queued them, right after its commit: a poll mostly finds none, and then opens no transaction.
  if (!(await notificationRepo.anyDueNotification(deps.db, iso(now)))) return 0;
  const due = await deps.db
    .transaction()
    .execute((trx) =>
      notificationRepo.claimDueNotifications(trx, iso(now), iso(now + NOTICE_LEASE_MS), batch),
    );
  let sent = 0;
  for (const n of due) if (await sendNotice(deps, log, n)) sent++;
  return sent;
}

/** Send one claimed notice and mark it sent; false when it failed (its lease lets a poller retry it). */
export async function sendNotice(
  deps: AppDeps,
  log: FastifyBaseLogger,
  n: notificationRepo.NotificationRow,
): Promise<boolean> {
  if (!n.phone_cipher) return false;
  try {
    const phone = deps.vault.decrypt(n.phone_cipher) as Phone;
    if (isTopic(n.topic))
      await notifyResident(
        deps,
        n.user_id,
        {
          topic: n.topic,
          sms: n.body,
          // The code stays out of WeChat: the page shows it to the recipient only.
          wechat: {
            page: miniprogramPage('parcels', n.parcel_id ?? undefined),
            data: {
              thing1: { value: TOPIC_TITLES[n.topic] },
              thing2: { value: redactDigits(n.body.replace(/^【蚁巢】/, '')).slice(0, 20) },
            },
          },
        },
        phone,
      );
    else await deps.sms.send(phone, n.body);
    await notificationRepo.markNotificationSent(
      deps.db,
      n.id,
      iso(deps.clock.now()),
      redactDigits(n.body),
    );
    return true;
  } catch (err) {
    log.warn({ err, notificationId: n.id }, 'sms failed; will retry');
    return false;
  }
}
