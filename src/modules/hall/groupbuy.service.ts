/**
 * C2B group buying (社区团购, demand first): a resident or the hall proposes an item with a
 * target quantity, one price and a deadline; neighbours join with a quantity and pay; the
 * target confirms everyone, a missed deadline refunds everyone (groupbuy-settle.service.ts).
 * Nobody sees who else joined: a buy shows counts only, and each resident their own joins.
 */
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import type { Static } from 'typebox';
import type { Principal } from '../../platform/auth/access.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { findHall } from '../places/index.ts';
import { homesOf, residentHall } from './hall-context.service.ts';
import type { Fulfilment } from './hall.table.ts';
import * as repo from './groupbuy.repository.ts';
import { requireUnitLocker } from './order-delivery.service.ts';
import type * as s from './groupbuy.schemas.ts';
import { deliverCallback } from './payment-callback.service.ts';
import { createPayment, startPayment } from './payment.service.ts';

const HOUR = 3_600_000;
/** A deadline at least this far ahead, at most GROUP_BUY_MAX_DAYS. */
export const GROUP_BUY_MIN_HOURS = 1;
export const GROUP_BUY_MAX_DAYS = 30;

type View = Static<typeof s.GroupBuyView>;

async function present(
  deps: AppDeps,
  rows: repo.GroupBuyRow[],
  userId: string | null,
): Promise<View[]> {
  const ids = rows.map((r) => r.id);
  const buyers = await repo.buyerCounts(deps.db, ids);
  const mine = userId ? await repo.joinsOfUser(deps.db, userId, ids) : [];
  return rows.map((r) => ({
    id: r.id,
    hallId: r.hall_id,
    title: r.title,
    description: r.description,
    category: r.category,
    priceFen: r.price_fen,
    unit: r.unit,
    targetQty: r.target_qty,
    joinedQty: r.joined_qty,
    buyers: buyers.get(r.id) ?? 0,
    deadline: r.deadline,
    status: r.status,
    proposedByHall: r.proposer_kind === 'hall',
    mine: mine
      .filter((j) => j.group_buy_id === r.id && j.status !== 'cancelled')
      .map((j) => ({ id: j.id, quantity: j.quantity, fulfilment: j.fulfilment, status: j.status })),
  }));
}

/** Propose a group buy at a hall (a resident at their own community's hall, or its staff). */
export async function propose(
  deps: AppDeps,
  p: Principal,
  hallId: string,
  by: 'resident' | 'hall',
  input: Static<typeof s.GroupBuyInput>,
): Promise<View> {
  if (by === 'resident')
    await hitLimits(deps.db, deps.clock, [limit('hallGroupBuyWritesPerResidentHour', p.userId)]);
  const hall =
    by === 'resident'
      ? (await residentHall(deps.db, p, hallId)).hall
      : await findHall(deps.db, hallId);
  if (!hall) throw notFound('That service hall');
  const now = deps.clock.now();
  const deadline = Date.parse(input.deadline);
  if (
    !Number.isFinite(deadline) ||
    deadline < now + GROUP_BUY_MIN_HOURS * HOUR ||
    deadline > now + GROUP_BUY_MAX_DAYS * 24 * HOUR
  )
    throw new AppError(
      'validation_failed',
      `截止时间须在 ${GROUP_BUY_MIN_HOURS} 小时后、${GROUP_BUY_MAX_DAYS} 天内。The deadline must be between ${GROUP_BUY_MIN_HOURS} hour and ${GROUP_BUY_MAX_DAYS} days from now.`,
    );
  const row: repo.GroupBuyRow = {
    id: newId(deps.clock, deps.random),
    hall_id: hall.id,
    community_id: hall.community_id,
    title: input.title.trim(),
    description: input.description.trim(),
    category: input.category,
    price_fen: input.priceFen,
    unit: input.unit.trim(),
    target_qty: input.targetQty,
    joined_qty: 0,
    deadline: iso(deadline),
    status: 'open',
    proposed_by: p.userId,
    proposer_kind: by,
    settled_at: null,
    created_at: iso(now),
  };
  await repo.insertGroupBuy(deps.db, row);
  return (await present(deps, [row], by === 'resident' ? p.userId : null))[0]!;
}

/** Group buys at a hall; residents see their own joins, staff see counts only. */
export async function listGroupBuys(deps: AppDeps, hallId: string, userId: string | null) {
  const since = iso(deps.clock.now() - 7 * 24 * HOUR);
  return present(deps, await repo.groupBuysOfHall(deps.db, hallId, since), userId);
}

/** Group buys at a hall the resident may use. */
export async function residentGroupBuys(deps: AppDeps, p: Principal, hallId: string) {
  await residentHall(deps.db, p, hallId);
  return listGroupBuys(deps, hallId, p.userId);
}

/** Join a group buy with a quantity and pay; the local provider settles at once. */
export async function join(
  deps: AppDeps,
  p: Principal,
  groupBuyId: string,
  input: { quantity: number; fulfilment: Fulfilment; unitId?: string | undefined },
): Promise<View> {
  await hitLimits(deps.db, deps.clock, [limit('hallGroupBuyWritesPerResidentHour', p.userId)]);
  const buy = await repo.findGroupBuy(deps.db, groupBuyId);
  const home = homesOf(p).find(
    (h) => h.communityId === buy?.community_id && (!input.unitId || h.unitId === input.unitId),
  );
  if (!buy || !home) throw notFound('That group buy');
  if (buy.status !== 'open' || Date.parse(buy.deadline) <= deps.clock.now())
    throw conflict(
      buy.status === 'confirmed'
        ? '该团购已成团，不再接受参团。This group buy already reached its target and is closed.'
        : '该团购已截止。This group buy has closed.',
    );
  if (input.fulfilment === 'locker') await requireUnitLocker(deps.db, home.unitId);
  const { joinRow, payment } = await deps.db.transaction().execute(async (trx) => {
    const joinRow: repo.JoinRow = {
      id: newId(deps.clock, deps.random),
      group_buy_id: buy.id,
      community_id: buy.community_id,
      user_id: p.userId,
      unit_id: home.unitId,
      quantity: input.quantity,
      fulfilment: input.fulfilment,
      status: 'awaiting_payment',
      parcel_id: null,
      handed_over_at: null,
      created_at: iso(deps.clock.now()),
    };
    await repo.insertJoin(trx, joinRow);
    const payment = await createPayment(trx, deps, {
      subjectKind: 'group_join',
      subjectId: joinRow.id,
      userId: p.userId,
      communityId: buy.community_id,
      amountFen: buy.price_fen * input.quantity,
    });
    return { joinRow, payment };
  });
  const cb = await startPayment(deps, payment, `团购 ${buy.title} × ${joinRow.quantity}`);
  if (cb) await deliverCallback(deps, cb);
  return (await present(deps, [(await repo.findGroupBuy(deps.db, buy.id))!], p.userId))[0]!;
}
