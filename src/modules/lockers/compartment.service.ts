/**
 * Lockers own a compartment's `use` (free → reserved → occupied → free). Other modules ask
 * for a transition here and never write the column themselves. Each transition is a
 * compare-and-set on the use it expects, so two racing callers cannot both win: the loser
 * gets false and decides what to do (try the next compartment, give up, …).
 */
import type { Executor } from '../../db/database.ts';
import { switchCompartmentUse } from './locker.repository.ts';

/** Hold a free compartment for a deposit; from 'occupied' when one more parcel joins a stored group. */
export async function reserveCompartment(
  db: Executor,
  lockerId: string,
  number: number,
  nowIso: string,
  from: 'free' | 'occupied' = 'free',
): Promise<boolean> {
  return switchCompartmentUse(db, lockerId, number, from, 'reserved', nowIso);
}

/** Something now lives in a reserved compartment (the door closed on a deposit). */
export async function occupyCompartment(
  db: Executor,
  lockerId: string,
  number: number,
  nowIso: string,
): Promise<boolean> {
  return switchCompartmentUse(db, lockerId, number, 'reserved', 'occupied', nowIso);
}

/** Nothing lives in the compartment any more (picked up, moved out, or a reservation lapsed). */
export async function freeCompartment(
  db: Executor,
  lockerId: string,
  number: number,
  from: 'reserved' | 'occupied',
  nowIso: string,
): Promise<boolean> {
  return switchCompartmentUse(db, lockerId, number, from, 'free', nowIso);
}
