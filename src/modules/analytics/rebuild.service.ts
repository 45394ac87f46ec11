/**
 * Recompute every rollup from the modules' event histories (through their public entries),
 * with the same rules the incremental path uses. One transaction: dashboards see the old
 * counters or the new ones, never a half-built table.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { hallFactsPage } from '../hall/index.ts';
import { accountMovements, accounts } from '../ledger/index.ts';
import { lockerFactsPage } from '../lockers/index.ts';
import { needStepsPage } from '../needs/index.ts';
import { signupFactsPage } from '../notices/index.ts';
import { declinedConsentsPage, parcelStepsPage } from '../parcels/index.ts';
import { listAllCommunities } from '../places/index.ts';
import * as repo from './rollup.repository.ts';
import {
  type DeviceFact,
  type Increment,
  consentIncrements,
  deviceIncrements,
  fundIncrements,
  hallIncrements,
  needIncrements,
  offlineIncrements,
  parcelIncrements,
  signupIncrements,
} from './rollup-rules.ts';
import { applyIncrements, compoundOfUnit } from './rollup.service.ts';
import { allAreaCounters, clearAreas, foldPending } from './area.repository.ts';

const PAGE = 2000;

/** What a rebuild read and wrote. */
export interface RebuildSummary {
  parcelSteps: number;
  needSteps: number;
  deviceFacts: number;
  offlineSpans: number;
  hallFacts: number;
  consentRefusals: number;
  signups: number;
  fundEntries: number;
  counters: number;
}

async function addPage(db: Executor, incs: Increment[]): Promise<void> {
  await applyIncrements(db, incs);
  // Fold as we go, so the pending table never holds a whole history.
  await foldPending(db);
}

/** Page through a source by its last key, adding each page's increments. */
async function replay<R, K>(
  db: Executor,
  first: K,
  page: (after: K) => Promise<R[]>,
  keyOf: (r: R) => K,
  rules: (r: R) => Increment[],
): Promise<number> {
  let after = first;
  let n = 0;
  for (;;) {
    const rows = await page(after);
    if (!rows.length) return n;
    await addPage(db, rows.flatMap(rules));
    n += rows.length;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** Forget the counters and recompute them from every source, inside the caller's transaction. */
export async function rebuildRollups(trx: Executor): Promise<RebuildSummary> {
  await clearAreas(trx);
  const parcelSteps = await replay(
    trx,
    '',
    (a) => parcelStepsPage(trx, a, PAGE),
    (r) => r.eventId,
    parcelIncrements,
  );
  // A request's compound comes from its unit (units do not move between compounds).
  const compounds = new Map<string, string | null>();
  const needSteps = await replay(
    trx,
    '',
    async (a) => {
      const page = await needStepsPage(trx, a, PAGE);
      for (const u of new Set(page.map((r) => r.unitId)))
        if (u && !compounds.has(u)) compounds.set(u, await compoundOfUnit(trx, u));
      return page;
    },
    (r) => r.eventId,
    (r) => needIncrements(r, r.unitId ? (compounds.get(r.unitId) ?? null) : null),
  );
  const deviceFacts = await replay(
    trx,
    { lockerId: '', seq: -1 },
    (a) => lockerFactsPage(trx, a, PAGE),
    (r) => ({ lockerId: r.locker_id, seq: r.seq }),
    (r) =>
      deviceIncrements(
        { id: r.locker_id, communityId: r.community_id },
        { ...(JSON.parse(r.payload) as DeviceFact), sentAt: r.occurred_at },
      ),
  );
  const offlineSpans = await replay(
    trx,
    '',
    (a) => repo.offlineSpansPage(trx, a, PAGE),
    (r) => r.id,
    (r) =>
      offlineIncrements({
        lockerId: r.locker_id,
        communityId: r.community_id,
        fromAt: r.from_at,
        toAt: r.to_at,
      }),
  );
  const hallFacts = await replay(
    trx,
    '',
    (a) => hallFactsPage(trx, a, PAGE),
    (r) => r.key,
    hallIncrements,
  );
  const consentRefusals = await replay(
    trx,
    '',
    (a) => declinedConsentsPage(trx, a, PAGE),
    (r) => r.id,
    consentIncrements,
  );
  const signups = await replay(
    trx,
    '',
    (a) => signupFactsPage(trx, a, PAGE),
    (r) => r.id,
    signupIncrements,
  );
  let fundEntries = 0;
  for (const c of await listAllCommunities(trx)) {
    const accountId = accounts.communityFund(c.id).id;
    // The ledger lists an account's movements newest first; every one is replayed.
    const moves = await accountMovements(trx, accountId, Number.MAX_SAFE_INTEGER);
    await addPage(
      trx,
      moves.flatMap((m) =>
        fundIncrements({ accountId, kind: m.kind, at: m.at, amount: Number(m.amountFen) }),
      ),
    );
    fundEntries += moves.length;
  }
  // Every area counter row (the pending count, folded to 0 by now, is not one).
  const counters = (await allAreaCounters(trx)).length - 1;
  return {
    parcelSteps,
    needSteps,
    deviceFacts,
    offlineSpans,
    hallFacts,
    consentRefusals,
    signups,
    fundEntries,
    counters,
  };
}

/** `antnest analytics rebuild`: recompute in one transaction. */
export async function rebuildAll(db: Kysely<DB>): Promise<RebuildSummary> {
  return db.transaction().execute((trx) => rebuildRollups(trx));
}
