/**
 * Keeping the rollups: each source event's increments are added inside the transaction
 * that records the event (ADR 0029), so a crash keeps both or neither.
 */
import type { Executor } from '../../db/database.ts';
import { RowCache } from '../../db/row-cache.ts';
import { findLockerCached } from '../lockers/index.ts';
import { needStepFacts } from '../needs/index.ts';
import type { ParcelStepFacts } from '../parcels/index.ts';
import { findCommunity, findLockerSite, findUnit } from '../places/index.ts';
import { addPending, type PendingRow } from './area.repository.ts';
import * as repo from './rollup.repository.ts';
import {
  type Increment,
  areasOf,
  localDayOf,
  localSlotOf,
  needIncrements,
  parcelIncrements,
} from './rollup-rules.ts';

/**
 * Where each locker sits, once known: analytics_lockers rows are written once and never change
 * (lockers do not move between compounds), and a community never changes subdistrict.
 */
const compoundOfLocker = new RowCache<string>(Infinity);
const subdistrictOfCommunity = new RowCache<string>(Infinity);

/**
 * Learn where the increments' lockers sit (once per locker), so drill-down needs no other module;
 * returns each known locker's compound.
 */
export async function rememberLockers(
  db: Executor,
  incs: readonly Increment[],
): Promise<Map<string, string>> {
  const ids = new Set(incs.map((i) => i.lockerId).filter((id): id is string => !!id));
  const compoundOf = new Map<string, string>();
  for (const id of ids) {
    const compound = await compoundOfLocker.get(db, id, () => learnLocker(db, id));
    if (compound) compoundOf.set(id, compound);
  }
  return compoundOf;
}

/** A locker's compound from analytics_lockers, writing its row the first time; undefined while its place is unknown. */
async function learnLocker(db: Executor, id: string): Promise<string | undefined> {
  const known = await repo.findAnalyticsLocker(db, id);
  if (known) return known.compound_id;
  // The locker's row is usually in the lockers module's memory already (the fact that brought us here read it).
  const l = await findLockerCached(db, id);
  const place = l ? await findLockerSite(db, l.site_id) : undefined;
  if (!l || !place) return undefined;
  await repo.rememberLocker(db, {
    locker_id: id,
    community_id: l.community_id,
    compound_id: place.compound_id,
    name: l.name,
  });
  return place.compound_id;
}

/**
 * The increments as pending rows, merged by key: one row per increment, in its most specific
 * area with the areas above it (the fold counts it in each; ADR 0029).
 */
async function pendingOf(
  db: Executor,
  incs: readonly Increment[],
  compoundOf: ReadonlyMap<string, string>,
): Promise<PendingRow[]> {
  const subdistrictOf = new Map<string, string>();
  for (const c of new Set(incs.map((i) => i.communityId))) {
    const sub = await subdistrictOfCommunity.get(
      db,
      c,
      async () => (await findCommunity(db, c))?.subdistrict_id,
    );
    if (sub) subdistrictOf.set(c, sub);
  }
  const rows = new Map<string, PendingRow>();
  // An event's increments mostly share one hour: its local day and slot are worked out once.
  let hour = '';
  let day = '';
  let slot = 0;
  for (const i of incs) {
    if (i.hour !== hour) {
      hour = i.hour;
      day = localDayOf(hour);
      slot = localSlotOf(hour);
    }
    const areas = areasOf(i, { compoundOf, subdistrictOf });
    // Within one event an area's places above it do not change, so the key needs only the area.
    const k = `${areas.area}|${i.metric}|${day}|${slot}|${i.dim}`;
    const had = rows.get(k);
    if (had) had.value += i.value;
    else rows.set(k, { ...areas, metric: i.metric, day, slot, dim: i.dim, value: i.value });
  }
  return [...rows.values()];
}

/** Add increments to the rollups inside the caller's transaction: the areas' pending rows (the fold job moves them on). */
export async function applyIncrements(db: Executor, incs: readonly Increment[]): Promise<void> {
  if (!incs.length) return;
  const compoundOf = await rememberLockers(db, incs);
  await addPending(db, await pendingOf(db, incs, compoundOf));
}

/** Subscriber to parcel steps: count the step in the step's transaction. */
export async function rollUpParcelStep(trx: Executor, step: ParcelStepFacts): Promise<void> {
  await applyIncrements(trx, parcelIncrements(step));
}

/** The compound of a request's unit (null without a unit). */
export async function compoundOfUnit(db: Executor, unitId: string | null): Promise<string | null> {
  return unitId ? ((await findUnit(db, unitId))?.compound_id ?? null) : null;
}

/** Subscriber to request steps: count the step in the step's transaction. */
export async function rollUpNeedStep(trx: Executor, eventId: string): Promise<void> {
  const facts = await needStepFacts(trx, eventId);
  if (facts)
    await applyIncrements(trx, needIncrements(facts, await compoundOfUnit(trx, facts.unitId)));
}
