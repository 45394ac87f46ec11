/**
 * A fresh demo's first courier round: once the simulated locker at 王大爷's unit is online,
 * the SF courier delivers him a parcel through the same deposit as the courier app. The
 * locker opens, a simulated hand puts the parcel in and shuts the door, and the node stores
 * it and texts him the code (the demo SMS inbox). So the first resident a visitor signs in
 * as has a parcel waiting, with its code, QR and compartment, and can open it from the app,
 * without first making a delivery as the courier. The other demo residents start with an
 * empty list, as the browser tests expect.
 */
import { findUserByPhoneHash } from '../modules/identity/index.ts';
import { findLocker } from '../modules/lockers/index.ts';
import { deposit } from '../modules/parcels/index.ts';
import { listCarriers } from '../modules/places/site.repository.ts';
import { normalizePhone } from '../platform/crypto/phone.ts';
import type { AppDeps } from '../platform/deps.ts';
import * as J from './jinquan.ts';
import type { DemoLocker } from './lockers.ts';

/** How long the round waits for the locker to come online before it gives up. */
const ONLINE_WAIT_MS = 60_000;

/**
 * Deliver the first round; resolves with where the parcel went, or null when the locker
 * never came online (or `stopped` turned true first: the node is shutting down).
 */
export async function deliverFirstRound(
  deps: AppDeps,
  lockers: readonly DemoLocker[],
  stopped: () => boolean,
): Promise<{ lockerId: string; parcelId: string; compartment: number } | null> {
  const { FIRST_ROUND } = J;
  const locker = lockers.find((l) => l.place.startsWith(FIRST_ROUND.place));
  const carrier = J.CARRIERS.find((c) => c.code === FIRST_ROUND.carrier);
  if (!locker || !carrier) return null;
  const end = Date.now() + ONLINE_WAIT_MS;
  while ((await findLocker(deps.db, locker.lockerId))?.presence !== 'online') {
    if (stopped() || Date.now() > end) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (stopped()) return null;
  const courier = await findUserByPhoneHash(
    deps.db,
    deps.vault.hash(normalizePhone(carrier.courier.phone)),
  );
  const carrierId = (await listCarriers(deps.db)).find((c) => c.code === carrier.code)?.id;
  if (!courier || !carrierId) return null;
  const { parcel } = await deposit(
    deps,
    { userId: courier.id, carrierId },
    {
      lockerId: locker.lockerId,
      waybill: FIRST_ROUND.waybill,
      recipientPhone: FIRST_ROUND.recipientPhone,
      size: 'S',
      kind: 'delivery',
      // A node stopped and started again mid-round makes the same deposit, not a second one.
      idempotencyKey: 'demo-first-round',
    },
  );
  return { lockerId: locker.lockerId, parcelId: parcel.id, compartment: parcel.compartment };
}
