/** The SMS outbox: queued parcel notices are sent once each, then their body is blanked. */
import type { FastifyBaseLogger } from 'fastify';
import { iso } from '../../../platform/clock.ts';
import type { Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { redactDigits } from '../../../platform/notify/sms.ts';
import * as notificationRepo from '../core/notification.repository.ts';

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
      await deps.sms.send(deps.vault.decrypt(n.phone_cipher) as Phone, n.body);
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
