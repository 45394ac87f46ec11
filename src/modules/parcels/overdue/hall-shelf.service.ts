/**
 * The service hall's shelf of overdue parcels (policy 'move_to_hall'): staff open the
 * compartment (the door's answer moves the parcel out of the locker, hall-move.ts), put it
 * on a shelf slot, and hand it over against the same pickup code. The recipient is told at
 * each step where the parcel is; their app keeps showing it with the hall and slot.
 */
import type { Executor } from '../../../db/database.ts';
import { enqueueCommand } from '../../lockers/index.ts';
import { findHall, listHalls } from '../../places/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import { LIMITS, limit } from '../../../platform/limits.ts';
import { hitLimits, refuseWhenReached } from '../../../platform/rate-limit.ts';
import { freeIfEmptied } from '../locker/free-if-emptied.ts';
import * as shelfRepo from './hall-shelf.repository.ts';
import type { ShelfStatus } from './overdue.table.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import { tellRecipient, waybillTail } from '../notices/notice.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import { syncLocker } from '../locker/locker-sync.service.ts';
import { codeHash, codeKey } from '../core/pickup-code.ts';

/** The community's first service hall (by opening), where its overdue parcels go. */
export async function firstHallOf(
  db: Executor,
  communityId: string,
): Promise<{ id: string; name: string } | undefined> {
  const [first] = (await listHalls(db, [communityId])).sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
  );
  return first && { id: first.id, name: first.name };
}

/** Wrong codes a hall may try per 10 minutes before hand-over is refused. */
export const WRONG_CODES_PER_HALL = LIMITS.hallWrongCodesPerHall.max;

/** A hall's shelf tasks and items. */
export async function listShelf(
  deps: Pick<AppDeps, 'db'>,
  hallId: string,
  f: { status?: ShelfStatus; limit: number; offset: number },
) {
  return shelfRepo.listShelf(deps.db, hallId, f);
}

async function loadItem(db: Executor, hallId: string, itemId: string) {
  const item = await shelfRepo.findShelfItem(db, hallId, itemId);
  if (!item) throw notFound('That shelf item');
  const parcel = await parcels.findParcel(db, item.parcel_id);
  if (!parcel) throw notFound('That parcel');
  return { item, parcel };
}

/**
 * Open the parcel's compartment so hall staff can take it out. Again after the door
 * already opened (staff shut it without taking the parcel) while nothing else moved in.
 */
export async function retrieveForHall(
  deps: AppDeps,
  actorId: string,
  hallId: string,
  itemId: string,
): Promise<{ commandId: string }> {
  const commandId = await deps.db.transaction().execute(async (trx) => {
    const { item, parcel } = await loadItem(trx, hallId, itemId);
    if (item.status !== 'to_move')
      throw conflict(
        item.status === 'on_shelf'
          ? 'This parcel is already on the shelf.'
          : 'This parcel was already handed over.',
      );
    const reopen =
      parcel.status === 'at_hall' &&
      (await parcels.liveParcelsAt(trx, parcel.locker_id, parcel.compartment)).length === 0;
    if (parcel.status === 'picked_up')
      throw conflict('The recipient already picked this parcel up at the locker.');
    if (parcel.status !== 'stored' && !reopen)
      throw conflict('This parcel is no longer in the locker.');
    const { command } = await enqueueCommand(trx, deps, {
      lockerId: parcel.locker_id,
      communityId: parcel.community_id,
      body: {
        type: 'open',
        compartment: parcel.compartment,
        reason: 'retrieve',
        parcelId: parcel.id,
      },
      requestedBy: actorId,
      reason: 'overdue_to_hall',
    });
    await recordParcelEvent(trx, deps, parcel, {
      type: 'retrieve_requested',
      actorId,
      source: 'api',
      detail: { hallId, commandId: command.id },
    });
    return command.id;
  });
  deps.outbox.kick();
  return { commandId };
}

/**
 * The parcel is on the hall's shelf: taken out by a retrieve (status 'at_hall'), or still
 * 'stored' when the door's answer never came but staff hold it. The recipient is told the
 * hall and slot (not the code).
 */
export async function shelve(
  deps: AppDeps,
  actorId: string,
  hallId: string,
  itemId: string,
  slot: string,
) {
  const { lockerId, wasStored } = await deps.db.transaction().execute(async (trx) => {
    const { item, parcel } = await loadItem(trx, hallId, itemId);
    const hall = (await findHall(trx, hallId))!;
    const nowIso = iso(deps.clock.now());
    if (
      !(await shelfRepo.transitionShelfItem(trx, item.id, 'to_move', {
        status: 'on_shelf',
        slot,
        moved_at: nowIso,
        moved_by: actorId,
      }))
    )
      throw conflict('This parcel was already shelved.');
    const wasStored = parcel.status === 'stored';
    if (wasStored) {
      if (
        !(await parcels.transition(trx, parcel.id, 'stored', {
          status: 'at_hall',
          updated_at: nowIso,
        }))
      )
        throw conflict('This parcel changed meanwhile; reload the shelf.');
    } else if (parcel.status !== 'at_hall') {
      throw conflict(`This parcel is ${parcel.status}, not on its way to the hall.`);
    }
    // When the door already closed on an empty compartment the door hook has run: free it here.
    await freeIfEmptied(trx, parcel.locker_id, parcel.compartment, nowIso);
    await recordParcelEvent(trx, deps, parcel, {
      type: 'moved_to_hall',
      actorId,
      source: 'api',
      detail: { hallId, slot },
    });
    await tellRecipient(
      trx,
      deps,
      parcel,
      `【蚁巢】您的快递${waybillTail(parcel)}已转至${hall.name}（${hall.address}），货架 ${slot}，凭原取件码领取。`,
    );
    return { lockerId: parcel.locker_id, wasStored };
  });
  // The locker must stop accepting the code offline (a retrieve that opened already synced it).
  if (wasStored) await syncLocker(deps, lockerId);
  return (await shelfRepo.findShelfListItem(deps.db, hallId, itemId))!;
}

/** Hand a shelved parcel over against its pickup code (wrong codes are throttled per hall). */
export async function handOver(
  deps: AppDeps,
  actorId: string,
  hallId: string,
  itemId: string,
  code: string,
) {
  const wrongCodes = limit('hallWrongCodesPerHall', hallId);
  await refuseWhenReached(deps.db, deps.clock, wrongCodes);
  const { item, parcel } = await loadItem(deps.db, hallId, itemId);
  if (item.status !== 'on_shelf')
    throw conflict(
      item.status === 'to_move'
        ? 'Shelve the parcel first.'
        : 'This parcel was already handed over.',
    );
  if (!parcel.code_hash || codeHash(codeKey(deps), parcel.locker_id, code) !== parcel.code_hash) {
    // Counted outside any transaction, so the hit survives the error.
    await hitLimits(deps.db, deps.clock, [wrongCodes]);
    throw new AppError('validation_failed', 'That code does not match this parcel.');
  }
  await deps.db.transaction().execute(async (trx) => {
    const nowIso = iso(deps.clock.now());
    if (
      !(await shelfRepo.transitionShelfItem(trx, item.id, 'on_shelf', {
        status: 'handed_over',
        handed_over_at: nowIso,
      }))
    )
      throw conflict('This parcel was already handed over.');
    if (
      !(await parcels.transition(trx, parcel.id, 'at_hall', {
        status: 'picked_up',
        picked_up_at: nowIso,
        updated_at: nowIso,
      }))
    )
      throw conflict('This parcel is not at the hall.');
    await recordParcelEvent(trx, deps, parcel, {
      type: 'picked_up',
      actorId,
      source: 'api',
      detail: { via: 'hall', hallId },
    });
    const hall = (await findHall(trx, hallId))!;
    // In the app only: the recipient is standing at the counter; the note is there if it was not them.
    await tellRecipient(
      trx,
      deps,
      parcel,
      `【蚁巢】您的快递${waybillTail(parcel)}已在${hall.name}领取。如非本人或家人领取，请联系服务馆。`,
      { sms: false },
    );
  });
  return (await shelfRepo.findShelfListItem(deps.db, hallId, itemId))!;
}
