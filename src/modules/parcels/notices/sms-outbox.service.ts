/**
 * The notification outbox: queued parcel notices are sent once each, then their body is
 * blanked. A notice with a topic goes as a WeChat subscribe message when its recipient has
 * a grant left for that topic (one is taken), by SMS otherwise (ADR 0033).
 */
import type { FastifyBaseLogger } from 'fastify';
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

/** Send due SMS once each; the body (with the code) is blanked after sending. */
export async function sendDueNotifications(
  deps: AppDeps,
  log: FastifyBaseLogger,
  batch = 100,
): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db
    .transaction()
    .execute((trx) =>
      notificationRepo.claimDueNotifications(trx, iso(now), iso(now + 30_000), batch),
    );
  let sent = 0;
  for (const n of due) {
    if (!n.phone_cipher) continue;
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
      sent++;
    } catch (err) {
      log.warn({ err, notificationId: n.id }, 'sms failed; will retry');
    }
  }
  return sent;
}
