/**
 * Returning overdue deliveries (overdue policy 'return_to_courier'): the carrier's
 * couriers see which of their parcels to take back and open those compartments with
 * their account; the door opening settles the parcel as returned (parcel.hooks.ts) and
 * the recipient is told.
 */
import { enqueueCommand } from '../lockers/command.service.ts';
import type { CommandRow } from '../lockers/command.repository.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import * as overdue from './overdue.repository.ts';
import { recordParcelEvent } from './parcel-events.ts';
import * as parcels from './parcel.repository.ts';

/** Overdue deliveries waiting in lockers for a carrier to take back. */
export async function listReturns(deps: AppDeps, carrierId: string, limit = 200) {
  const rows = await overdue.returnsForCarrier(deps.db, carrierId, limit);
  return rows.map((r) => ({ parcelId: r.id, lockerId: r.locker_id, lockerName: r.locker_name, address: `${r.compound}${r.site}`, compartment: r.compartment, size: r.size, waybill: r.waybill, storedAt: r.stored_at, overdueAt: r.overdue_at }));
}

/** A courier of the parcel's carrier opens its compartment to take an overdue parcel back. */
export async function collectReturn(deps: AppDeps, courier: { userId: string; carrierId: string }, parcelId: string): Promise<CommandRow> {
  const command = await deps.db.transaction().execute(async (trx) => {
    const p = await parcels.findParcel(trx, parcelId);
    const taken = p ? await overdue.findOverdue(trx, p.id) : undefined;
    if (!p || taken?.action !== 'return_to_courier' || taken.carrier_id !== courier.carrierId) throw notFound('A parcel of yours to take back');
    if (p.status !== 'stored') throw new AppError('conflict', `This parcel is ${p.status}, not waiting in a locker.`);
    const { command } = await enqueueCommand(trx, deps, { lockerId: p.locker_id, communityId: p.community_id, body: { type: 'open', compartment: p.compartment, reason: 'retrieve', parcelId: p.id }, requestedBy: courier.userId, reason: 'return to carrier' });
    await recordParcelEvent(trx, deps, p, { type: 'return_requested', actorId: courier.userId, source: 'api', detail: { commandId: command.id } });
    return command;
  });
  deps.outbox.kick();
  return command;
}
