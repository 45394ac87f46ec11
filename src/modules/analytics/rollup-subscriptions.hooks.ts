/** Subscribing the rollups to the modules' typed events (buildApp calls it once per app). */
import type { Executor } from '../../db/database.ts';
import { type HallFact, onHallFact } from '../hall/index.ts';
import { onEntryPosted, type PostedEntry } from '../ledger/index.ts';
import { onNeedStep } from '../needs/index.ts';
import { type ActivitySignupFact, onActivitySignup } from '../notices/index.ts';
import { type ConsentRefusal, onConsentDeclined, onParcelStep } from '../parcels/index.ts';
import {
  consentIncrements,
  fundIncrements,
  hallIncrements,
  signupIncrements,
} from './rollup-rules.ts';
import { applyIncrements, rollUpNeedStep, rollUpParcelStep } from './rollup.service.ts';

/** Count a hall happening in its transaction. */
async function rollUpHallFact(trx: Executor, f: HallFact): Promise<void> {
  await applyIncrements(trx, hallIncrements(f));
}

/** Count a declined consent request in its transaction (the carrier report). */
async function rollUpConsentDeclined(trx: Executor, r: ConsentRefusal): Promise<void> {
  await applyIncrements(trx, consentIncrements(r));
}

/** Count an activity sign-up in its transaction (the hall figures). */
async function rollUpSignup(trx: Executor, f: ActivitySignupFact): Promise<void> {
  await applyIncrements(trx, signupIncrements(f));
}

/** Count a posted entry's fund lines in its transaction. */
async function rollUpEntry(trx: Executor, e: PostedEntry): Promise<void> {
  await applyIncrements(
    trx,
    e.lines.flatMap((l) => fundIncrements({ ...l, kind: e.kind, at: e.at })),
  );
}

/** Subscribe the rollups to parcel and request steps, consent refusals, hall happenings, activity sign-ups and ledger entries; repeats are no-ops. */
export function subscribeAnalytics(): void {
  onConsentDeclined(rollUpConsentDeclined);
  onActivitySignup(rollUpSignup);
  onParcelStep(rollUpParcelStep);
  onNeedStep(rollUpNeedStep);
  onHallFact(rollUpHallFact);
  onEntryPosted(rollUpEntry);
}
