/**
 * May a parcel be opened for pickup now? The one gate every pickup the cloud decides
 * passes through: the app's open, the screen-QR scan and the code typed in the app
 * (openForPickup) and a code typed on the locker's screen (parcel.hooks.ts). Today it
 * holds one rule: a parcel that owes an overdue fee stays shut until the fee is paid or
 * waived (fees/fee.policy.ts). A code the locker holds and checks itself while offline
 * never reaches the cloud, so it is not refused (ADR 0028): the fee stays owed.
 */
import type { Executor } from '../../../db/database.ts';
import type { Clock } from '../../../platform/clock.ts';
import * as parcels from '../core/parcel.repository.ts';
import { feeRefusal } from '../fees/fee.policy.ts';

/** Why a pickup of this parcel (and the parcels sharing its compartment) is refused, or null. */
export async function pickupRefusal(
  db: Executor,
  clock: Pick<Clock, 'now'>,
  p: parcels.ParcelRow,
  /** Its group mates, when the caller read them already (storedByCodeWithMates). */
  mates?: readonly parcels.ParcelRow[],
): Promise<{ reason: 'fee_owed'; message: string } | null> {
  const group = [p, ...(mates ?? (await parcels.groupMates(db, p)))];
  const message = await feeRefusal(db, clock.now(), group);
  return message ? { reason: 'fee_owed', message } : null;
}
