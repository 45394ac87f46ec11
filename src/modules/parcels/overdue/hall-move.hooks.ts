/**
 * The overdue move to the service hall as the locker sees it: hall staff open the
 * compartment (reason 'retrieve', like a carrier's courier) and the door's answer decides.
 * Which retrieve this is comes from the parcel's overdue action, the one record of what
 * happens to it: 'move_to_hall' moves it to the hall, anything else is a carrier taking
 * it (parcel.hooks.ts). Runs inside the ingest transaction of the device's answer.
 */
import type { Executor } from '../../../db/database.ts';
import * as lockers from '../../lockers/index.ts';
import { freeIfEmptied } from '../locker/free-if-emptied.ts';
import { findHall } from '../../places/index.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import * as overdue from './overdue.repository.ts';
import * as shelfRepo from './hall-shelf.repository.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import { tellRecipient, waybillTail } from '../notices/notice.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import { compartmentText } from '../core/compartment-text.ts';

/** Whether a 'retrieve' open of this parcel is the hall fetching it (not a carrier taking it back). */
export async function isHallRetrieve(db: Executor, p: parcels.ParcelRow): Promise<boolean> {
  if (p.kind === 'outgoing') return false;
  return (await overdue.findOverdue(db, p.id))?.action === 'move_to_hall';
}

/**
 * The door answered a hall's retrieve. Opened: the parcel (and any parcel sharing its
 * compartment and code) left the locker in staff hands — status 'at_hall', its shelf item
 * still 'to_move' until shelved — and the recipient is told where it is going. Not opened:
 * noted, and staff may retry. True when parcels left the locker (its codes need a sync).
 */
export async function hallRetrieveAnswered(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  p: parcels.ParcelRow,
  commandId: string,
  status: string,
): Promise<boolean> {
  const opened = status === 'opened' || status === 'already_open';
  if (!opened) {
    await recordParcelEvent(db, deps, p, {
      type: 'retrieve_open_failed',
      actorId: null,
      source: 'device',
      detail: { status, commandId },
    });
    return false;
  }
  const item = await shelfRepo.findShelfItemOfParcel(db, p.id);
  const hall = item ? await findHall(db, item.hall_id) : undefined;
  if (!item || !hall) return false;
  const nowIso = iso(deps.clock.now());
  const mates = await parcels.groupMates(db, p);
  if (!(await parcels.transition(db, p.id, 'stored', { status: 'at_hall', updated_at: nowIso })))
    return false;
  const place = (await lockers.lockerPlaces(db, [p.locker_id])).get(p.locker_id);
  const from = compartmentText(place, p.compartment);
  for (const x of [p, ...mates]) {
    if (
      x !== p &&
      !(await parcels.transition(db, x.id, 'stored', { status: 'at_hall', updated_at: nowIso }))
    )
      continue;
    // A parcel that shared the compartment leaves with it, even if its own free storage had not ended.
    if (x !== p) {
      await overdue.insertOverdue(db, {
        parcel_id: x.id,
        community_id: x.community_id,
        action: 'move_to_hall',
        carrier_id: null,
        at: nowIso,
      });
      await shelfRepo.insertShelfItem(db, {
        id: newId(deps.clock, deps.random),
        community_id: x.community_id,
        hall_id: hall.id,
        parcel_id: x.id,
        status: 'to_move',
        slot: null,
        created_at: nowIso,
        moved_at: null,
        handed_over_at: null,
        moved_by: null,
      });
    }
    await recordParcelEvent(db, deps, x, {
      type: 'taken_out_for_hall',
      actorId: null,
      source: 'device',
      detail: { hallId: hall.id, commandId, ...(x !== p ? { together: true } : {}) },
    });
    await tellRecipient(
      db,
      deps,
      x,
      `【蚁巢】您的快递${waybillTail(x)}已超过免费保管期，服务馆工作人员已从${from}取出，正送往${hall.name}；上架后会告诉您货架号，凭原取件码领取，不另收费。`,
    );
  }
  await freeIfEmptied(db, p.locker_id, p.compartment, nowIso);
  return true;
}
