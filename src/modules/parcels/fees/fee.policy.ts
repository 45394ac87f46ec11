/**
 * What a parcel owes (ADR 0028): under a community's 'capped_fee' policy a parcel past its
 * free storage owes the capped fee of overdue.policy.ts until it is settled, once, by a
 * payment or a staff waiver. The fee grows while the parcel stays in the locker and stops
 * at the settlement; a parcel that left the locker while owing (the device opened for a
 * code it held, offline) owes what had accrued when it left.
 */
import type { Executor } from '../../../db/database.ts';
import type { ParcelRow } from '../core/parcel.repository.ts';
import * as overdue from '../overdue/overdue.repository.ts';
import { overdueFee, policyFor } from '../overdue/overdue.policy.ts';
import * as fees from './fee.repository.ts';

/** Where a parcel's fee stands. */
export interface FeeState {
  parcelId: string;
  communityId: string;
  /** none: nothing is owed; owing: pay (or wait for a waiver) before pickup; paid/waived: settled. */
  status: 'none' | 'owing' | 'paid' | 'waived';
  /** What is owed now (0 unless owing). */
  owedFen: number;
  /** What was paid, or owed when it was waived; null until settled. */
  settledFen: number | null;
  settledAt: string | null;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The fee of a parcel at `now` (epoch ms). */
export async function feeOf(db: Executor, now: number, p: ParcelRow): Promise<FeeState> {
  const base = { parcelId: p.id, communityId: p.community_id };
  const settled = await fees.settlementOf(db, p.id);
  if (settled)
    return {
      ...base,
      status: settled.kind,
      owedFen: 0,
      settledFen: settled.amount_fen,
      settledAt: settled.at,
    };
  const none: FeeState = { ...base, status: 'none', owedFen: 0, settledFen: null, settledAt: null };
  if (!p.free_until || (p.status !== 'stored' && p.status !== 'picked_up')) return none;
  const policy = await policyFor(db, p.community_id);
  const taken = await overdue.findOverdue(db, p.id);
  // Before the sweep reaches a parcel past its deadline, the community's policy already applies.
  const action = taken?.action ?? policy.action;
  if (action !== 'capped_fee') return none;
  const until = p.status === 'picked_up' && p.picked_up_at ? Date.parse(p.picked_up_at) : now;
  const owed = overdueFee(policy, p.free_until, Math.min(now, until));
  return owed > 0 ? { ...none, status: 'owing', owedFen: owed } : none;
}

/**
 * Why these parcels may not be opened for pickup now, or null: an unpaid fee on any of
 * them (parcels sharing a compartment leave together). The message tells how to go on.
 */
export async function feeRefusal(
  db: Executor,
  now: number,
  list: readonly ParcelRow[],
): Promise<string | null> {
  for (const p of list) {
    // Within its free storage a parcel owes nothing, settled or not: no need to ask (the common pickup).
    if (!p.free_until || Date.parse(p.free_until) >= now) continue;
    const fee = await feeOf(db, now, p);
    if (fee.status === 'owing')
      return `该包裹超时未取，需缴纳保管费 ¥${yuan(fee.owedFen)}：请在蚁巢 App 的包裹页点“缴费”后再取件。 This parcel owes an overdue storage fee of ¥${yuan(fee.owedFen)}; pay it on the parcel in the app, then pick it up.`;
  }
  return null;
}
