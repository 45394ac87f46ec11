/** A hall's distribution rules and terms (total shares, payout), read and replaced by the community office. */
import type { Database, Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ruleProblems, type Rule } from './distribution.ts';
import { replaceRules, rulesOf, sharesHeld, termsOf, upsertTerms } from './rules.repository.ts';

/** What the console edits. */
export interface HallFinance {
  rules: Rule[];
  totalShares: number | null;
  payoutBp: number | null;
}

/** A hall's rules and terms. */
export async function hallFinance(db: Executor, hallId: string): Promise<HallFinance> {
  const terms = await termsOf(db, hallId);
  return {
    rules: (await rulesOf(db, hallId)).map((r) => ({
      recipient: r.recipient,
      appliesTo: r.applies_to,
      percentBp: r.percent_bp,
      minFen: r.min_fen,
      maxFen: r.max_fen,
    })),
    totalShares: terms?.total_shares ?? null,
    payoutBp: terms?.payout_bp ?? null,
  };
}

/** Replace a hall's rules and terms in one transaction; a bad rule set is a 400 naming the rule. */
export async function saveHallFinance(
  deps: Pick<AppDeps, 'clock' | 'random'> & { db: Database },
  hallId: string,
  input: { rules: Rule[]; totalShares: number; payoutBp: number },
  actorId: string,
): Promise<HallFinance> {
  const problems = ruleProblems(input.rules);
  if (problems.length) throw new AppError('bad_request', problems.join(' '));
  const now = iso(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const held = { n: await sharesHeld(trx, hallId) };
    if (Number(held.n) > input.totalShares)
      throw new AppError(
        'conflict',
        `合伙人已持有 ${held.n} 股，总股数不能少于此数。 Partners already hold ${held.n} shares; the total cannot be lower.`,
      );
    await replaceRules(
      trx,
      hallId,
      input.rules.map((r, position) => ({
        id: newId(deps.clock, deps.random),
        hall_id: hallId,
        position,
        recipient: r.recipient,
        applies_to: r.appliesTo,
        percent_bp: r.percentBp,
        min_fen: r.minFen,
        max_fen: r.maxFen,
        updated_by: actorId,
        updated_at: now,
      })),
    );
    await upsertTerms(trx, {
      hall_id: hallId,
      total_shares: input.totalShares,
      payout_bp: input.payoutBp,
      updated_at: now,
    });
    return hallFinance(trx, hallId);
  });
}
