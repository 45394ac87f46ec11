/**
 * The rules of a deposit: who may deposit what kind of parcel for which carrier, how many
 * compartments a resident may hold at one locker, and what a note may say.
 */
import type { Executor } from '../../../db/database.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import { CAPS } from '../../../platform/limits.ts';
import { findCarrier } from '../../places/index.ts';
import * as parcels from '../core/parcel.repository.ts';
import type { DepositInput, Depositor } from './deposit.service.ts';

/** The carrier a parcel belongs to, checked against who deposits it and what kind it is. */
export async function carrierFor(
  db: Executor,
  depositor: Depositor,
  input: DepositInput,
): Promise<string | null> {
  const byResident = input.kind === 'neighbour' || input.kind === 'outgoing';
  if (byResident !== (depositor.carrierId === null))
    throw new AppError(
      'forbidden',
      byResident
        ? 'Only residents deposit for neighbours or send parcels.'
        : 'Only couriers and riders deposit deliveries.',
    );
  if (input.kind === 'neighbour') return null;
  const id = input.kind === 'outgoing' ? input.carrierId : depositor.carrierId;
  const carrier = id ? await findCarrier(db, id) : undefined;
  if (!carrier) throw notFound(input.kind === 'outgoing' ? 'That carrier' : 'Your carrier');
  if (input.kind === 'takeout' && carrier.kind !== 'takeout')
    throw new AppError('forbidden', 'Only takeout riders deposit into food compartments.');
  if (input.kind === 'outgoing' && carrier.kind !== 'express')
    throw new AppError('validation_failed', 'Outgoing parcels go with an express carrier.');
  return carrier.id;
}

/** A note as it may appear inside an SMS: one line, no brackets that could fake a sender tag, trimmed; null when empty. */
export function cleanNote(note: string | null | undefined): string | null {
  const s = (note ?? '')
    .replace(/[\u0000-\u001f\u007f【】\[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  return s === '' ? null : s;
}

/** A resident holds at most CAPS.residentLiveDepositsPerLocker compartments at one locker (finding 7: one took 25 in a row). */
export async function residentCap(db: Executor, userId: string, lockerId: string): Promise<void> {
  const max = CAPS.residentLiveDepositsPerLocker;
  if ((await parcels.liveResidentDepositsAt(db, lockerId, userId)) >= max) {
    throw conflict(
      `You already hold ${max} compartments at this locker with things you left or are sending; wait until one is picked up or collected, or use another locker.`,
    );
  }
}
