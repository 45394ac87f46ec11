/** A carrier's courier opening a compartment to take a parcel away (outgoing parcels, overdue returns). */
import type { Executor } from '../../../db/database.ts';
import { enqueueCommand, type CommandRow } from '../../lockers/index.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { type ParcelEventType, recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';

/**
 * Open a stored parcel's compartment for a courier of its carrier (reason 'retrieve': the
 * door opening settles it, parcel.hooks.ts). 404 unless `mayTake` says this courier may.
 */
export async function openForCarrier(
  deps: AppDeps,
  courier: { userId: string; carrierId: string },
  parcelId: string,
  how: {
    reason: string;
    event: ParcelEventType;
    what: string;
    mayTake: (db: Executor, p: parcels.ParcelRow) => Promise<boolean>;
  },
): Promise<CommandRow> {
  const command = await deps.db.transaction().execute(async (trx) => {
    const p = await parcels.findParcel(trx, parcelId);
    if (!p || !(await how.mayTake(trx, p))) throw notFound(how.what);
    if (p.status !== 'stored')
      throw new AppError('conflict', `This parcel is ${p.status}, not waiting in a locker.`);
    const { command } = await enqueueCommand(trx, deps, {
      lockerId: p.locker_id,
      communityId: p.community_id,
      body: { type: 'open', compartment: p.compartment, reason: 'retrieve', parcelId: p.id },
      requestedBy: courier.userId,
      reason: how.reason,
    });
    await recordParcelEvent(trx, deps, p, {
      type: how.event,
      actorId: courier.userId,
      source: 'api',
      detail: { commandId: command.id },
    });
    return command;
  });
  deps.outbox.kick();
  return command;
}
