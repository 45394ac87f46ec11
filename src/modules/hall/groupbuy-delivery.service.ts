/**
 * After a group buy is confirmed the hall sources it and hands it out: a join that chose the
 * locker is deposited into the locker at the buyer's unit door through the same parcel flow
 * as an order (waybill HALL-GB-…, the deposit's key derived from the join, so a second click
 * answers with the same parcel); a pickup join is marked handed over at the counter. Staff
 * see each join's unit (where it goes), quantity and state — never a name or phone.
 */
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { findParcel } from '../parcels/index.ts';
import { unitLabels } from '../places/index.ts';
import * as repo from './groupbuy.repository.ts';
import { parcelRef } from './order.presenter.ts';
import { depositAtUnit, depositFailed, retryKey } from './order-delivery.service.ts';

/** A buy of this hall, or 404. */
async function buyOfHall(deps: AppDeps, hallId: string, groupBuyId: string) {
  const buy = await repo.findGroupBuy(deps.db, groupBuyId);
  if (!buy || buy.hall_id !== hallId) throw notFound('That group buy');
  return buy;
}

/** The joins of a buy as the hall console shows them (counted in or confirmed only). */
export async function hallJoins(deps: AppDeps, hallId: string, groupBuyId: string) {
  const buy = await buyOfHall(deps, hallId, groupBuyId);
  const joins = (await repo.joinsOf(deps.db, buy.id)).filter(
    (j) => j.status === 'paid' || j.status === 'confirmed',
  );
  const labels = new Map(
    (await unitLabels(deps.db, [...new Set(joins.map((j) => j.unit_id))])).map((u) => [
      u.unitId,
      u.label,
    ]),
  );
  return Promise.all(
    joins.map(async (j) => {
      const parcel = j.parcel_id ? await findParcel(deps.db, j.parcel_id) : undefined;
      return {
        id: j.id,
        quantity: j.quantity,
        fulfilment: j.fulfilment,
        status: j.status as 'paid' | 'confirmed',
        unit: labels.get(j.unit_id) ?? '',
        handedOverAt: j.handed_over_at,
        parcel: parcelRef(parcel),
      };
    }),
  );
}

/** A confirmed join of a buy of this hall, or the reason it cannot be handed out. */
async function confirmedJoin(deps: AppDeps, hallId: string, groupBuyId: string, joinId: string) {
  const buy = await buyOfHall(deps, hallId, groupBuyId);
  const join = await repo.findJoin(deps.db, joinId);
  if (!join || join.group_buy_id !== buy.id) throw notFound('That join');
  if (join.status !== 'confirmed')
    throw conflict(
      buy.status === 'open'
        ? '团购尚未成团，成团后才能交付。This group buy has not reached its target yet; hand out after it is confirmed.'
        : '这份参团已退款或未付款，不能交付。This join was refunded or never paid; do not hand it out.',
    );
  return join;
}

/** Deposit a confirmed locker join into the buyer's unit locker. */
export async function deliverJoin(
  deps: AppDeps,
  staffId: string,
  hallId: string,
  groupBuyId: string,
  joinId: string,
  size: 'S' | 'M' | 'L' | 'XL',
) {
  const join = await confirmedJoin(deps, hallId, groupBuyId, joinId);
  if (join.fulfilment !== 'locker')
    throw conflict(
      '这份参团选择到馆自取，请在柜台交付。This join is collected at the hall, not delivered to a locker.',
    );
  // No parcel yet, or the last deposit was given up (door jammed, shut empty): deposit it.
  if (!join.parcel_id || (await depositFailed(deps, join.parcel_id))) {
    const parcel = await depositAtUnit(deps, staffId, {
      userId: join.user_id,
      unitId: join.unit_id,
      waybill: `HALL-GB-${join.id.slice(-8).toUpperCase()}`,
      idempotencyKey: retryKey(`hall-join-${join.id}`, join.parcel_id),
      size,
    });
    await repo.setJoinParcel(deps.db, join.id, parcel.id, join.parcel_id);
  }
  return (await hallJoins(deps, hallId, groupBuyId)).find((j) => j.id === join.id)!;
}

/** Mark a confirmed join handed over at the counter (a pickup join, or a locker join that could not go in). */
export async function handOverJoin(
  deps: AppDeps,
  hallId: string,
  groupBuyId: string,
  joinId: string,
) {
  const join = await confirmedJoin(deps, hallId, groupBuyId, joinId);
  if (join.parcel_id && !(await depositFailed(deps, join.parcel_id)))
    throw conflict(
      '这份参团已经投柜，请居民凭取件码到柜取件。This join is already in the locker; the resident picks it up with the code.',
    );
  await repo.setJoinHandedOver(deps.db, join.id, iso(deps.clock.now()));
  return (await hallJoins(deps, hallId, groupBuyId)).find((j) => j.id === join.id)!;
}
