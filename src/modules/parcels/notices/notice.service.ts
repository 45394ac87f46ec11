/** Notices to a parcel's recipient that carry no code (the code is sent once, in the store notice). */
import type { Executor } from '../../../db/database.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as notificationRepo from '../core/notification.repository.ts';
import { queueSms } from './sms-outbox.service.ts';

/** Queue an SMS (unless `sms: false`; a WeChat subscribe message instead when `topic` is set and the recipient has a grant) and an in-app copy to a parcel's recipient; the text must not hold the code. */
export async function tellRecipient(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  p: parcels.ParcelRow,
  text: string,
  opts: { sms?: boolean; topic?: 'overdue_reminder' } = {},
): Promise<void> {
  const now = iso(ctx.clock.now());
  const base = {
    community_id: p.community_id,
    parcel_id: p.id,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  };
  if (opts.sms !== false && p.recipient_phone_cipher) {
    await queueSms(db, ctx, {
      ...base,
      id: newId(ctx.clock, ctx.random),
      user_id: p.recipient_user_id,
      channel: 'sms',
      phone_cipher: p.recipient_phone_cipher,
      body: text,
      status: 'pending',
      sent_at: null,
      topic: opts.topic ?? null,
    });
  }
  if (p.recipient_user_id)
    await notificationRepo.insertNotification(db, {
      ...base,
      id: newId(ctx.clock, ctx.random),
      user_id: p.recipient_user_id,
      channel: 'app',
      phone_cipher: null,
      body: text,
      status: 'sent',
      sent_at: now,
    });
}

/** "运单尾号1234" for a notice, or nothing when the parcel has no waybill. */
export function waybillTail(p: Pick<parcels.ParcelRow, 'waybill'>): string {
  return p.waybill ? `（运单尾号${p.waybill.slice(-4)}）` : '';
}
