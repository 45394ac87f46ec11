/**
 * Neighbour deposit (寄存): a resident leaves something at a locker of their own
 * community for a neighbour or visitor; the code goes to that person's phone when the
 * door closes on it (store.service.ts words the SMS for this kind).
 */
import { type CompartmentSize, findLocker } from '../../lockers/index.ts';
import { normalizePhone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { limit, userSmsLimits } from '../../../platform/limits.ts';
import { notFound } from '../../../platform/errors.ts';
import { deposit } from './deposit.service.ts';

/** A locker a resident may use: active and in one of their communities (404 otherwise, so others' lockers stay unseen). */
export async function residentLocker(
  deps: AppDeps,
  communities: readonly string[],
  lockerId: string,
) {
  const locker = await findLocker(deps.db, lockerId);
  if (!locker || !communities.includes(locker.community_id)) throw notFound('That locker');
  return locker;
}

export interface NeighbourDepositInput {
  lockerId: string;
  recipientPhone: string;
  size: CompartmentSize;
  /** A short note for the neighbour, sent with the code. */
  note?: string;
  /** The request's Idempotency-Key (see DepositInput). */
  idempotencyKey?: string | undefined;
}

/**
 * Reserve and open a compartment for something a resident leaves for someone else. Counted
 * per resident (hour, day) and, since the door closing sends an SMS, as a resident-triggered SMS.
 */
export async function depositForNeighbour(
  deps: AppDeps,
  resident: { userId: string; communities: readonly string[] },
  input: NeighbourDepositInput,
) {
  await residentLocker(deps, resident.communities, input.lockerId);
  const to = deps.vault.hash(normalizePhone(input.recipientPhone));
  const limits = [
    limit('neighbourDepositsPerResidentHour', resident.userId),
    limit('neighbourDepositsPerResidentDay', resident.userId),
    ...userSmsLimits(resident.userId, to),
  ];
  return deposit(
    deps,
    { userId: resident.userId, carrierId: null },
    {
      lockerId: input.lockerId,
      recipientPhone: input.recipientPhone,
      size: input.size,
      kind: 'neighbour',
      note: input.note ?? null,
      idempotencyKey: input.idempotencyKey,
      limits,
    },
  );
}
