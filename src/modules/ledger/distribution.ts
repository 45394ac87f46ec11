/**
 * Splitting money exactly to the fen (pure functions, property-tested).
 *
 * Sale split (condo FeeDistribution style): the hall's rules are taken in their order;
 * each recipient gets floor(amount × percent), raised to its minimum and lowered to its
 * maximum, but never more than what is still left of the sale. The operator gets the
 * remainder, so every rounding fen goes to the operator and the parts always sum to the
 * whole. A minimum is therefore met whenever the sale is large enough to pay it.
 *
 * Proportional split (refunds, dividends): largest remainder (Hamilton): each part gets
 * floor(total × weight / Σweights), the fen left over go one each to the largest
 * fractional remainders, ties to the earlier part.
 */
import type { AppliesTo, Recipient } from './ledger.table.ts';

/** One distribution rule of a hall. */
export interface Rule {
  recipient: Recipient;
  appliesTo: AppliesTo;
  /** Basis points: 500 = 5 %. */
  percentBp: number;
  minFen: number;
  maxFen: number | null;
}

/** The split of one sale: what each rule's recipient gets and the operator's remainder. */
export interface Split {
  parts: { recipient: Recipient; amount: number }[];
  operator: number;
}

/** Split a sale of `amount` fen of `kind` by the hall's rules (see the module comment). */
export function splitSale(
  amount: number,
  kind: 'goods' | 'service',
  rules: readonly Rule[],
): Split {
  let left = amount;
  const parts: Split['parts'] = [];
  for (const r of rules) {
    if (r.appliesTo !== 'all' && r.appliesTo !== kind) continue;
    let share = Math.floor((amount * r.percentBp) / 10_000);
    share = Math.max(share, r.minFen);
    if (r.maxFen !== null) share = Math.min(share, r.maxFen);
    share = Math.min(share, left);
    left -= share;
    parts.push({ recipient: r.recipient, amount: share });
  }
  return { parts, operator: left };
}

/** Split `total` fen in proportion to non-negative integer weights, exactly (largest remainder). */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  // BigInt keeps total × weight exact beyond 2^53.
  const T = BigInt(total);
  const S = BigInt(sum);
  const out = weights.map((w) => Number((T * BigInt(w)) / S));
  const rems = weights.map((w, i) => ({ i, r: (T * BigInt(w)) % S }));
  let left = total - out.reduce((a, b) => a + b, 0);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (left === 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

/** Problems with a rule set, as messages a person can act on ([] when fine). */
export function ruleProblems(rules: readonly Rule[]): string[] {
  const out: string[] = [];
  for (const kind of ['goods', 'service'] as const) {
    const bp = rules
      .filter((r) => r.appliesTo === 'all' || r.appliesTo === kind)
      .reduce((a, r) => a + r.percentBp, 0);
    if (bp > 10_000)
      out.push(
        `${kind === 'goods' ? '商品' : '服务'}收入的分成比例合计${bp / 100}%，超过100%。 The ${kind} percentages add up to more than 100 %.`,
      );
  }
  rules.forEach((r, i) => {
    if (r.maxFen !== null && r.maxFen < r.minFen)
      out.push(`第${i + 1}条规则的上限小于下限。 Rule ${i + 1}: the maximum is below the minimum.`);
  });
  return out;
}
