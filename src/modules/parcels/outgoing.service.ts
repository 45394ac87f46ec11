/**
 * Sending (寄件): a resident puts an outgoing parcel in a locker for a carrier they
 * choose; nobody is notified, the carrier's couriers see it in their list and open its
 * compartment with their account. The door answering `opened` settles it as picked up
 * (parcel.hooks.ts treats reason 'retrieve' like a pickup).
 */
import { enqueueCommand } from '../lockers/command.service.ts';
import type { CommandRow } from '../lockers/command.repository.ts';
import type { CompartmentSize } from '../lockers/locker.table.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { deposit } from './deposit.service.ts';
import { outgoingForCarrier } from './extras.repository.ts';
import { residentLocker } from './neighbour.service.ts';
import { recordParcelEvent } from './parcel-events.ts';
import * as parcels from './parcel.repository.ts';

export interface SendInput {
  lockerId: string;
  carrierId: string;
  size: CompartmentSize;
}

/** Reserve and open a compartment for a resident's outgoing parcel. */
export async function sendParcel(deps: AppDeps, resident: { userId: string; communities: readonly string[] }, input: SendInput) {
  await residentLocker(deps, resident.communities, input.lockerId);
  return deposit(deps, { userId: resident.userId, carrierId: null }, { lockerId: input.lockerId, carrierId: input.carrierId, size: input.size, kind: 'outgoing' });
}

/** Outgoing parcels waiting for a carrier's couriers. */
export async function listOutgoing(deps: AppDeps, carrierId: string, limit = 200) {
  return outgoingForCarrier(deps.db, carrierId, limit);
}

/** A courier of the parcel's carrier opens its compartment to collect it. */
export async function collectOutgoing(deps: AppDeps, courier: { userId: string; carrierId: string }, parcelId: string): Promise<CommandRow> {
  const command = await deps.db.transaction().execute(async (trx) => {
    const p = await parcels.findParcel(trx, parcelId);
    if (!p || p.kind !== 'outgoing' || p.carrier_id !== courier.carrierId) throw notFound('That parcel');
    if (p.status !== 'stored') throw new AppError('conflict', `This parcel is ${p.status}, not waiting in a locker.`);
    const { command } = await enqueueCommand(trx, deps, { lockerId: p.locker_id, communityId: p.community_id, body: { type: 'open', compartment: p.compartment, reason: 'retrieve', parcelId: p.id }, requestedBy: courier.userId, reason: 'retrieve' });
    await recordParcelEvent(trx, deps, p, { type: 'collect_requested', actorId: courier.userId, source: 'api', detail: { commandId: command.id } });
    return command;
  });
  deps.outbox.kick();
  return command;
}
