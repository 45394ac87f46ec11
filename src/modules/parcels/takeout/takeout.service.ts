/**
 * Takeout dwell: food should not sit in a locker. Half an hour before its free time ends
 * the recipient gets an urgent reminder; once it has ended, staff get an alert to clear
 * the compartment and disinfect it (the open alert also keeps the compartment out of new
 * deposits until they resolve it). Each step happens once per parcel: its marker event
 * has a stable id, so a second node doing the same sweep fails its insert and rolls back.
 */
import { raiseAlert } from '../../lockers/index.ts';
import type { Executor } from '../../../db/database.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { TAKEOUT_OVERDUE, TAKEOUT_REMINDED, storedTakeoutDue } from './takeout.repository.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as notificationRepo from '../core/notification.repository.ts';
import * as eventRepo from '../core/parcel-event.repository.ts';
import type { ParcelEventType } from '../core/parcel.events.ts';
import { openCode } from '../core/pickup-code.ts';

/** The urgent reminder goes out this long before free storage ends. */
export const TAKEOUT_REMINDER_MINUTES = 30;

type Ctx = Pick<AppDeps, 'clock' | 'random' | 'config'>;

/** Queue reminders and raise overdue alerts that are due; returns how many steps were taken. */
export async function sweepTakeout(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  let done = 0;
  const soon = await storedTakeoutDue(
    deps.db,
    iso(now),
    iso(now + TAKEOUT_REMINDER_MINUTES * 60_000),
    TAKEOUT_REMINDED,
  );
  for (const p of soon)
    if (await once(deps, p, TAKEOUT_REMINDED, (trx) => queueReminder(trx, deps, p))) done++;
  const overdue = await storedTakeoutDue(deps.db, iso(0), iso(now), TAKEOUT_OVERDUE);
  for (const p of overdue)
    if (await once(deps, p, TAKEOUT_OVERDUE, (trx) => alertStaff(trx, deps, p))) done++;
  if (soon.length) deps.outbox.kick();
  return done;
}

/** Run a step and write its marker in one transaction; false when the parcel moved on or the step was already taken. */
async function once(
  deps: AppDeps,
  p: parcels.ParcelRow,
  marker: ParcelEventType,
  step: (trx: Executor) => Promise<void>,
): Promise<boolean> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      if ((await parcels.findParcel(trx, p.id))?.status !== 'stored') return false;
      await eventRepo.insertParcelEvent(trx, {
        id: `${marker}:${p.id}`,
        parcel_id: p.id,
        community_id: p.community_id,
        type: marker,
        actor_id: null,
        source: 'system',
        detail: JSON.stringify({ compartment: p.compartment, freeUntil: p.free_until }),
        at: iso(deps.clock.now()),
      });
      await step(trx);
      return true;
    });
  } catch (err) {
    // Another node took this step first (duplicate marker id); anything else is a real failure.
    if (await markerExists(deps, `${marker}:${p.id}`)) return false;
    throw err;
  }
}

async function markerExists(deps: AppDeps, id: string): Promise<boolean> {
  return eventRepo.parcelEventExists(deps.db, id);
}

/** "10:30" in China time; built once (an Intl formatter is dear to build, cheap to use). */
const HOUR_MINUTE = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
});

async function queueReminder(db: Executor, ctx: Ctx, p: parcels.ParcelRow): Promise<void> {
  if (!p.recipient_phone_cipher) return;
  const deadline = HOUR_MINUTE.format(new Date(p.free_until!));
  const code = p.code_cipher
    ? `，取件码 ${openCode(ctx.config.secrets.phoneKey, p.code_cipher)}`
    : '';
  const text = `【蚁巢】您的外卖仍在${p.compartment}号格口${code}，请于${deadline}前取餐，超时后将由工作人员清理。`;
  const now = iso(ctx.clock.now());
  const base = {
    community_id: p.community_id,
    parcel_id: p.id,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    sent_at: null,
  };
  await notificationRepo.insertNotification(db, {
    ...base,
    id: newId(ctx.clock, ctx.random),
    user_id: p.recipient_user_id,
    channel: 'sms',
    phone_cipher: p.recipient_phone_cipher,
    body: text,
  });
}

async function alertStaff(db: Executor, ctx: Ctx, p: parcels.ParcelRow): Promise<void> {
  await raiseAlert(db, ctx, {
    communityId: p.community_id,
    lockerId: p.locker_id,
    compartment: p.compartment,
    kind: 'takeout_overdue',
    message: `Takeout in compartment ${p.compartment} was not collected by ${p.free_until}: clear it and disinfect the compartment (外卖超时，请清理并消毒).`,
  });
}
