/**
 * Public-welfare activities: staff create them for a place they serve; residents over
 * that place sign up until the activity is full, then join a waiting list; a confirmed
 * resident who cancels hands the seat to the first one waiting, exactly once, because
 * every change takes the activity's row lock first (activity.repository.ts).
 */
import type { Grant } from '../../platform/auth/access.ts';
import { iso, newId } from '../../platform/clock.ts';
import { maskPhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { Executor } from '../../db/database.ts';
import { findUserById } from '../identity/index.ts';
import { type Audience, authorAudience, reaches, residentAudience } from './audience.ts';
import * as repo from './activity.repository.ts';
import { presentActivity } from './notice.presenter.ts';
import type {
  ActivitySignups,
  ActivityView,
  CreateActivity,
  SignupResult,
  StaffSignupView,
} from './notice.schemas.ts';
import { instant, managedFilter } from './notice.service.ts';
import { shanghaiTime, textResident } from './reminders.service.ts';
import { emitActivitySignup } from './activity.events.ts';

/** Create an activity for a place the author serves. */
export async function createActivity(
  deps: AppDeps,
  author: { userId: string; grants: readonly Grant[] },
  input: CreateActivity,
): Promise<ActivityView> {
  const now = deps.clock.now();
  const starts = instant(input.startsAt, 'startsAt');
  const ends = instant(input.endsAt, 'endsAt');
  const closes = input.signupClosesAt ? instant(input.signupClosesAt, 'signupClosesAt') : starts;
  if (starts <= now)
    throw new AppError(
      'validation_failed',
      '开始时间已过，请选一个将来的时间。startsAt is in the past; pick a future time.',
    );
  if (ends <= starts)
    throw new AppError(
      'validation_failed',
      '结束时间须晚于开始时间。endsAt must be after startsAt.',
    );
  if (closes <= now || closes > starts)
    throw new AppError(
      'validation_failed',
      '报名截止须在现在之后、活动开始之前。signupClosesAt must be in the future and no later than startsAt.',
    );
  const audience = await authorAudience(
    deps.db,
    author.grants,
    input.audience.kind,
    input.audience.id,
  );
  const row: repo.ActivityRow = {
    id: newId(deps.clock, deps.random),
    ...audience,
    title: input.title.trim(),
    description: input.description.trim(),
    location: input.location.trim(),
    starts_at: iso(starts),
    ends_at: iso(ends),
    signup_closes_at: iso(closes),
    capacity: input.capacity,
    confirmed_count: 0,
    signup_seq: 0,
    status: 'open',
    created_by: author.userId,
    created_at: iso(now),
    updated_at: iso(now),
  };
  await repo.insertActivity(deps.db, row);
  return presentActivity(row, 0, null);
}

async function mineOf(db: Executor, s: repo.SignupRow | undefined): Promise<ActivityView['mine']> {
  if (!s || s.status === 'cancelled') return null;
  return {
    status: s.status,
    waitingPosition:
      s.status === 'waiting' ? (await repo.waitingAhead(db, s.activity_id, s.seq)) + 1 : null,
  };
}

/** Activities (not yet ended) over an audience, with the user's own place on each when given. */
export async function activitiesFor(
  deps: AppDeps,
  audience: Audience,
  userId: string | null,
  limit = 50,
): Promise<ActivityView[]> {
  const rows = await repo.upcomingActivities(deps.db, audience, iso(deps.clock.now()), limit);
  const ids = rows.map((r) => r.id);
  const [waiting, mine] = await Promise.all([
    repo.waitingCounts(deps.db, ids),
    userId ? repo.signupsOf(deps.db, userId, ids) : Promise.resolve([]),
  ]);
  return Promise.all(
    rows.map(async (r) =>
      presentActivity(
        r,
        waiting.get(r.id) ?? 0,
        await mineOf(
          deps.db,
          mine.find((m) => m.activity_id === r.id),
        ),
      ),
    ),
  );
}

/** Activities over the signed-in resident's units, with their own sign-ups marked. */
export async function myActivities(
  deps: AppDeps,
  user: { userId: string; grants: readonly Grant[] },
): Promise<ActivityView[]> {
  return activitiesFor(deps, await residentAudience(deps.db, user.grants), user.userId);
}

/** An activity the resident may see (404 otherwise: another community's activity does not exist for them). */
async function visibleActivity(
  db: Executor,
  grants: readonly Grant[],
  activityId: string,
): Promise<repo.ActivityRow> {
  const a = await repo.findActivity(db, activityId);
  if (!a || !reaches(await residentAudience(db, grants), a)) throw notFound('That activity');
  return a;
}

/** Sign the resident up: a seat while there is one, else a place on the waiting list. Signing up twice returns the first result. */
export async function signUp(
  deps: AppDeps,
  user: { userId: string; grants: readonly Grant[] },
  activityId: string,
): Promise<SignupResult> {
  const a0 = await visibleActivity(deps.db, user.grants, activityId);
  const now = deps.clock.now();
  const nowIso = iso(now);
  if (a0.status !== 'open')
    throw conflict('这个活动已取消，不能报名。This activity was cancelled; sign-up is closed.');
  if (a0.signup_closes_at <= nowIso)
    throw conflict('报名已截止。Sign-up for this activity has closed.');
  const result = await deps.db.transaction().execute(async (trx) => {
    // The activity's row lock first, so our own row and the seat count are read under it.
    await repo.lockActivity(trx, activityId, 0, nowIso);
    const existing = await repo.findSignup(trx, activityId, user.userId);
    if (existing && existing.status !== 'cancelled') return { existing };
    const seatSeq = await repo.claimSeat(trx, activityId, nowIso);
    const seq = seatSeq ?? (await repo.takeSeq(trx, activityId, nowIso));
    const status = seatSeq !== null ? ('confirmed' as const) : ('waiting' as const);
    if (existing) await repo.moveSignup(trx, existing.id, ['cancelled'], status, nowIso, seq);
    else {
      const id = newId(deps.clock, deps.random);
      await repo.insertSignup(trx, {
        id,
        activity_id: activityId,
        user_id: user.userId,
        community_id: a0.community_id,
        status,
        seq,
        created_at: nowIso,
        updated_at: nowIso,
        reminded_at: null,
      });
      // A new sign-up to a community's activity is counted (its hall figures), in the same
      // transaction; a subdistrict-wide activity has no community to count it in.
      if (a0.community_id)
        await emitActivitySignup(trx, {
          id,
          communityId: a0.community_id,
          activityId,
          at: nowIso,
        });
    }
    return { existing: null, seq, status };
  });
  // Signing up twice changes nothing and answers with the standing sign-up.
  if (result.existing) return { activityId, ...(await mineOf(deps.db, result.existing))! };
  return {
    activityId,
    status: result.status!,
    waitingPosition:
      result.status === 'waiting'
        ? (await repo.waitingAhead(deps.db, activityId, result.seq!)) + 1
        : null,
  };
}

/**
 * Cancel the resident's sign-up. A confirmed seat passes to the first resident waiting
 * (their status changes once, under the activity's lock); with nobody waiting the seat is freed.
 */
export async function cancelSignup(
  deps: AppDeps,
  user: { userId: string; grants: readonly Grant[] },
  activityId: string,
): Promise<{ promoted: boolean }> {
  const a = await visibleActivity(deps.db, user.grants, activityId);
  const nowIso = iso(deps.clock.now());
  const promoted = await deps.db.transaction().execute(async (trx) => {
    await repo.lockActivity(trx, activityId, 0, nowIso);
    const mine = await repo.findSignup(trx, activityId, user.userId);
    if (!mine || mine.status === 'cancelled')
      throw new AppError(
        'not_found',
        '你没有报名这个活动。You are not signed up for this activity.',
      );
    await repo.moveSignup(trx, mine.id, [mine.status], 'cancelled', nowIso);
    if (mine.status === 'waiting') return null;
    const next = await repo.firstWaiting(trx, activityId);
    if (next && (await repo.moveSignup(trx, next.id, ['waiting'], 'confirmed', nowIso)))
      return next.user_id;
    await repo.lockActivity(trx, activityId, -1, nowIso);
    return null;
  });
  // Told after the commit, so a rolled-back promotion never sends a text.
  if (promoted)
    await textResident(
      deps,
      promoted,
      `【蚁巢】候补成功：您已获得「${a.title}」的名额，${shanghaiTime(a.starts_at)} 在${a.location}。不能参加请在应用里取消，把名额留给邻居。`,
    );
  return { promoted: promoted !== null };
}

/** The signed-in resident's live sign-ups (confirmed and waiting), with the activities. */
export async function mySignups(deps: AppDeps, userId: string): Promise<ActivityView[]> {
  const signups = await repo.signupsOf(deps.db, userId);
  const out: ActivityView[] = [];
  for (const s of signups) {
    const a = await repo.findActivity(deps.db, s.activity_id);
    if (!a || a.ends_at <= iso(deps.clock.now())) continue;
    const waiting = (await repo.waitingCounts(deps.db, [a.id])).get(a.id) ?? 0;
    out.push(presentActivity(a, waiting, await mineOf(deps.db, s)));
  }
  return out;
}

/** Activities a staff member manages, with their counts. */
export async function managedActivities(
  deps: AppDeps,
  grants: readonly Grant[],
  page: { limit?: number; offset?: number },
): Promise<ActivityView[]> {
  const rows = await repo.managedActivities(
    deps.db,
    managedFilter(grants),
    page.limit ?? 100,
    page.offset ?? 0,
  );
  const waiting = await repo.waitingCounts(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentActivity(r, waiting.get(r.id) ?? 0, null));
}

/** Who signed up and who waits, in order: names and masked phones only. */
export async function activitySignups(deps: AppDeps, activityId: string): Promise<ActivitySignups> {
  const a = await repo.findActivity(deps.db, activityId);
  if (!a) throw notFound('That activity');
  const rows = await repo.liveSignups(deps.db, activityId);
  const people = await Promise.all(rows.map((r) => findUserById(deps.db, r.user_id)));
  let position = 0;
  const view = (r: repo.SignupRow, i: number): StaffSignupView => {
    const u = people[i];
    return {
      name: u?.display_name ?? '—',
      phone: u?.phone_cipher ? maskPhone(deps.vault.decrypt(u.phone_cipher)) : null,
      status: r.status === 'waiting' ? 'waiting' : 'confirmed',
      waitingPosition: r.status === 'waiting' ? ++position : null,
      signedUpAt: r.created_at,
    };
  };
  const all = rows.map(view);
  return {
    activity: presentActivity(a, all.filter((x) => x.status === 'waiting').length, null),
    confirmed: all.filter((x) => x.status === 'confirmed'),
    waiting: all.filter((x) => x.status === 'waiting'),
  };
}

/** Cancel a whole activity: sign-up closes and it shows as cancelled to everyone signed up. */
export async function cancelActivity(deps: AppDeps, activityId: string): Promise<ActivityView> {
  const nowIso = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const a = await repo.findActivity(trx, activityId);
    if (!a) throw notFound('That activity');
    if (a.ends_at <= nowIso) throw conflict('这个活动已结束。This activity has already ended.');
    await repo.setActivityStatus(trx, activityId, 'cancelled', nowIso);
    const waiting = (await repo.waitingCounts(trx, [a.id])).get(a.id) ?? 0;
    return presentActivity({ ...a, status: 'cancelled', updated_at: nowIso }, waiting, null);
  });
}
