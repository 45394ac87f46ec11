/**
 * Booking the hall's rest-area tables and meeting room: a slot's capacity and a resident's
 * weekly quota are named counters taken with a conditional UPDATE in the booking's own
 * transaction, so parallel requests never double-book and a refused booking holds nothing.
 */
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import type { Static } from 'typebox';
import type { Principal } from '../../platform/auth/access.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { residentHall } from './hall-context.service.ts';
import * as repo from './booking.repository.ts';
import { emitHallFact } from './hall.events.ts';
import * as rules from './booking.policy.ts';
import type * as s from './booking.schemas.ts';

type BookingView = Static<typeof s.BookingView>;

/** A booking as its owner sees it (with the check-in code) or staff see it (without). */
export function presentBooking(
  b: repo.BookingRow,
  space: repo.SpaceRow,
  owner: boolean,
): BookingView {
  return {
    id: b.id,
    spaceId: b.space_id,
    spaceName: space.name,
    hallId: b.hall_id,
    start: b.slot_start,
    end: b.slot_end,
    partySize: b.party_size,
    purpose: b.purpose,
    status: b.status,
    checkinCode:
      owner && (b.status === 'confirmed' || b.status === 'pending_approval')
        ? b.checkin_code
        : null,
  };
}

/** A hall's spaces with each slot's free places on a day. */
export async function spacesOnDay(deps: AppDeps, hallId: string, day: string) {
  const spaces = await repo.spacesOf(deps.db, hallId);
  const keys = spaces.flatMap((sp) =>
    rules.slotsOn(sp, day).map((t) => rules.slotKey(sp.id, iso(t))),
  );
  const taken = await repo.counters(deps.db, keys);
  const now = deps.clock.now();
  return spaces.map((sp) => ({
    id: sp.id,
    name: sp.name,
    kind: sp.kind,
    capacity: sp.capacity,
    seats: sp.seats,
    approvalOver: sp.approval_over,
    slotMinutes: sp.slot_minutes,
    slots: rules.slotsOn(sp, day).map((t) => {
      const free = Math.max(0, sp.capacity - (taken.get(rules.slotKey(sp.id, iso(t))) ?? 0));
      return { start: iso(t), free, bookable: rules.bookable(t, free, now) };
    }),
  }));
}

/** Spaces of a hall the resident may use. */
export async function residentSpaces(deps: AppDeps, p: Principal, hallId: string, day: string) {
  await residentHall(deps.db, p, hallId);
  return spacesOnDay(deps, hallId, day);
}

/** Book a slot: rules first, then the weekly quota and the slot's capacity, all in one transaction. */
export async function book(
  deps: AppDeps,
  p: Principal,
  spaceId: string,
  input: { start: string; partySize: number; purpose: string },
): Promise<BookingView> {
  await hitLimits(deps.db, deps.clock, [limit('hallBookingsPerResidentDay', p.userId)]);
  const space = await repo.findSpace(deps.db, spaceId);
  if (!space) throw notFound('That space');
  await residentHall(deps.db, p, space.hall_id).catch(() => {
    throw notFound('That space');
  });
  const now = deps.clock.now();
  const { start, end } = rules.checkSlot(space, input.start, input.partySize, now);
  const startIso = iso(start);
  const row: repo.BookingRow = {
    id: newId(deps.clock, deps.random),
    space_id: space.id,
    hall_id: space.hall_id,
    community_id: space.community_id,
    user_id: p.userId,
    slot_start: startIso,
    slot_end: iso(end),
    party_size: input.partySize,
    purpose: input.purpose.trim(),
    status:
      space.approval_over !== null && input.partySize > space.approval_over
        ? 'pending_approval'
        : 'confirmed',
    checkin_code: String(deps.random.int(1_000_000)).padStart(6, '0'),
    created_at: iso(now),
  };
  await deps.db.transaction().execute(async (trx) => {
    if (
      !(await repo.takeCounter(
        trx,
        rules.weekKey(space.hall_id, p.userId, rules.weekOf(start)),
        rules.WEEKLY_LIMIT,
      ))
    )
      throw conflict(
        `每位居民每周最多预约 ${rules.WEEKLY_LIMIT} 次，本周已约满；可取消一个预约或改约下周。You already hold ${rules.WEEKLY_LIMIT} bookings that week: cancel one or choose another week.`,
      );
    if (!(await repo.takeCounter(trx, rules.slotKey(space.id, startIso), space.capacity)))
      throw conflict(
        `${space.name}该时段已约满，请选择其他时段。${space.name} is fully booked for that slot: choose another.`,
      );
    await repo.insertBooking(trx, row);
    await emitHallFact(trx, {
      key: `booking:${row.id}`,
      kind: 'booking',
      communityId: row.community_id,
      hallId: row.hall_id,
      at: row.created_at,
      amountFen: 0,
    });
  });
  return presentBooking(row, space, true);
}

/** Free what a booking held (its slot place and the owner's weekly quota). */
async function release(trx: Parameters<typeof repo.releaseCounter>[0], b: repo.BookingRow) {
  await repo.releaseCounter(trx, rules.slotKey(b.space_id, b.slot_start));
  await repo.releaseCounter(
    trx,
    rules.weekKey(b.hall_id, b.user_id, rules.weekOf(Date.parse(b.slot_start))),
  );
}

/** The resident's upcoming bookings. */
export async function myBookings(deps: AppDeps, userId: string) {
  const rows = await repo.bookingsOfUser(deps.db, userId, iso(deps.clock.now()));
  const spaces = new Map<string, repo.SpaceRow>();
  for (const b of rows)
    if (!spaces.has(b.space_id))
      spaces.set(b.space_id, (await repo.findSpace(deps.db, b.space_id))!);
  return rows.map((b) => presentBooking(b, spaces.get(b.space_id)!, true));
}

/** The resident cancels their booking before it starts. */
export async function cancelMine(deps: AppDeps, userId: string, bookingId: string) {
  return deps.db.transaction().execute(async (trx) => {
    const b = await repo.findBooking(trx, bookingId);
    if (!b || b.user_id !== userId) throw notFound('That booking');
    if (Date.parse(b.slot_start) <= deps.clock.now())
      throw conflict(
        '预约已开始，无法取消。This booking has already started; it cannot be cancelled.',
      );
    if (!(await repo.setBookingStatus(trx, b.id, ['confirmed', 'pending_approval'], 'cancelled')))
      throw conflict('该预约已取消或已结束。This booking is already cancelled or over.');
    await release(trx, b);
    return presentBooking(
      { ...b, status: 'cancelled' },
      (await repo.findSpace(trx, b.space_id))!,
      true,
    );
  });
}

/** The console's day view: every space's bookings on a day (no check-in codes). */
export async function dayView(deps: AppDeps, hallId: string, day: string) {
  const from = rules.dayStart(day);
  const rows = await repo.bookingsOfHall(deps.db, hallId, iso(from), iso(from + 86_400_000));
  const spaces = await spacesOnDay(deps, hallId, day);
  const byId = new Map((await repo.spacesOf(deps.db, hallId)).map((sp) => [sp.id, sp]));
  return {
    day,
    spaces,
    bookings: rows.map((b) => presentBooking(b, byId.get(b.space_id)!, false)),
  };
}

/** Staff approve or reject a meeting that needs approval. */
export async function decide(deps: AppDeps, hallId: string, bookingId: string, approve: boolean) {
  return deps.db.transaction().execute(async (trx) => {
    const b = await repo.findBooking(trx, bookingId);
    if (!b || b.hall_id !== hallId) throw notFound('That booking');
    if (
      !(await repo.setBookingStatus(
        trx,
        b.id,
        ['pending_approval'],
        approve ? 'confirmed' : 'rejected',
      ))
    )
      throw conflict('该预约不在待审批状态。This booking is not waiting for approval.');
    if (!approve) await release(trx, b);
    return presentBooking(
      { ...b, status: approve ? 'confirmed' : 'rejected' },
      (await repo.findSpace(trx, b.space_id))!,
      false,
    );
  });
}

/** Check a resident in at the counter with their code (from 30 minutes before the slot until it ends). */
export async function checkIn(deps: AppDeps, hallId: string, code: string) {
  const now = deps.clock.now();
  const candidates = (await repo.byCheckinCode(deps.db, hallId, code)).filter(
    (b) => Date.parse(b.slot_start) - 30 * 60_000 <= now && now < Date.parse(b.slot_end),
  );
  const b = candidates[0];
  if (!b)
    throw new AppError(
      'not_found',
      '没有与此签到码匹配的当前预约（可在开始前 30 分钟内签到）。No current booking has this check-in code (check-in opens 30 minutes before the slot).',
    );
  if (!(await repo.setBookingStatus(deps.db, b.id, ['confirmed'], 'checked_in')))
    throw conflict('该预约已签到。This booking is already checked in.');
  return presentBooking(
    { ...b, status: 'checked_in' },
    (await repo.findSpace(deps.db, b.space_id))!,
    false,
  );
}
