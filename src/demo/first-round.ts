/**
 * A fresh demo's first courier round: once the simulated locker at 王大爷's unit is online,
 * the SF courier delivers him a parcel through the same deposit as the courier app. The
 * locker opens, a simulated hand puts the parcel in and shuts the door, and the node stores
 * it and texts him the code (the demo SMS inbox). So a visitor who signs in as him finds a
 * parcel waiting, with its code, QR and compartment, and can open it from the app, without
 * first making a delivery as the courier. Only on the start that seeds the world; the other
 * demo residents start with an empty list, as the browser tests expect.
 */
import { findUserByPhoneHash } from '../modules/identity/index.ts';
import { findLocker } from '../modules/lockers/index.ts';
import { deposit } from '../modules/parcels/index.ts';
import { listCarriers } from '../modules/places/index.ts';
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
  const round = J.FIRST_ROUND;
  const locker = lockers.find((l) => l.place.startsWith(round.place));
  const carrier = J.CARRIERS.find((c) => c.code === round.carrier);
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
      waybill: round.waybill,
      recipientPhone: round.recipientPhone,
      size: 'S',
      kind: 'delivery',
      // As the courier app sends one: the open command's id is derived from it.
      idempotencyKey: 'demo-first-round',
    },
  );
  return { lockerId: locker.lockerId, parcelId: parcel.id, compartment: parcel.compartment };
}
