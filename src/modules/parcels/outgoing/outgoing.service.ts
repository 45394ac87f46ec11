/**
 * Sending (寄件): a resident puts an outgoing parcel in a locker for a carrier they
 * choose; nobody is notified, the carrier's couriers see it in their list and open its
 * compartment with their account. The door answering `opened` settles it as picked up
 * (parcel.hooks.ts treats reason 'retrieve' like a pickup).
 */
import type { CommandRow, CompartmentSize } from '../../lockers/index.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { limit } from '../../../platform/limits.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { outgoingForCarrier } from './outgoing.repository.ts';
import { residentLocker } from '../deposit/neighbour.service.ts';
import { openForCarrier } from '../pickup/collect.service.ts';
import { mayCollect } from '../sending/sending-order.service.ts';

export interface SendInput {
  lockerId: string;
  carrierId: string;
  size: CompartmentSize;
  /** The request's Idempotency-Key (see DepositInput). */
  idempotencyKey?: string | undefined;
}

/** Reserve and open a compartment for a resident's outgoing parcel. */
export async function sendParcel(
  deps: AppDeps,
  resident: { userId: string; communities: readonly string[] },
  input: SendInput,
) {
  await residentLocker(deps, resident.communities, input.lockerId);
  const limits = [
    limit('sendsPerResidentHour', resident.userId),
    limit('sendsPerResidentDay', resident.userId),
  ];
  return deposit(
    deps,
    { userId: resident.userId, carrierId: null },
    {
      lockerId: input.lockerId,
      carrierId: input.carrierId,
      size: input.size,
      kind: 'outgoing',
      idempotencyKey: input.idempotencyKey,
      limits,
    },
  );
}

/** Outgoing parcels waiting for a carrier's couriers. */
export async function listOutgoing(deps: AppDeps, carrierId: string, limit = 200) {
  return outgoingForCarrier(deps.db, carrierId, limit);
}

/** A courier of the parcel's carrier opens its compartment to collect it. */
export async function collectOutgoing(
  deps: AppDeps,
  courier: { userId: string; carrierId: string },
  parcelId: string,
): Promise<CommandRow> {
  return openForCarrier(deps, courier, parcelId, {
    reason: 'retrieve',
    event: 'collect_requested',
    what: 'That parcel',
    // A parcel whose sending order the carrier rejected (and refunded) waits for its sender.
    mayTake: async (db, p) =>
      p.kind === 'outgoing' && p.carrier_id === courier.carrierId && (await mayCollect(db, p.id)),
  });
}
