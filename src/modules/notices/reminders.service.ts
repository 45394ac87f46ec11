/**
 * Texts about activities through the SMS port: the reminder before an activity starts
 * (a cluster-wide job, src/platform/jobs) and the news that a waiting resident got a seat.
 * Each reminder is claimed with a conditional update before it is sent, so two nodes
 * never text the same person twice; a failed send is logged, not retried (at most once).
 */
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { findUserById } from '../identity/index.ts';
import * as repo from './activity.repository.ts';

/** Residents are reminded this long before an activity starts. */
export const REMIND_BEFORE_MS = 3 * 3600_000;
/** Reminders sent per run at most (the rest go on the next run, a minute later). */
const BATCH = 200;

/** Built once: an Intl formatter is dear to build and cheap to use. */
const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "12月6日 10:00" in Asia/Shanghai, for texts. */
export function shanghaiTime(isoText: string): string {
  return SHANGHAI.format(new Date(isoText));
}

/** Text a resident by their account's phone; false when they have none or the provider refused. */
export async function textResident(deps: AppDeps, userId: string, text: string): Promise<boolean> {
  const u = await findUserById(deps.db, userId);
  if (!u?.phone_cipher) return false;
  try {
    await deps.sms.send(deps.vault.decrypt(u.phone_cipher), text);
    return true;
  } catch {
    return false;
  }
}

/** Remind every confirmed resident of the activities starting within REMIND_BEFORE_MS; returns how many were texted. */
export async function sendActivityReminders(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  const due = await repo.dueReminders(deps.db, iso(now), iso(now + REMIND_BEFORE_MS), BATCH);
  let sent = 0;
  for (const s of due) {
    if (!(await repo.claimReminder(deps.db, s.id, iso(now)))) continue;
    const ok = await textResident(
      deps,
      s.user_id,
      `【蚁巢】活动提醒：「${s.title}」将于 ${shanghaiTime(s.starts_at)} 在${s.location}开始，请准时参加。不能参加请在应用里取消报名。`,
    );
    if (ok) sent++;
  }
  return sent;
}
