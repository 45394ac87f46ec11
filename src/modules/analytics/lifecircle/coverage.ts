/**
 * Maximum coverage (ADR 0030): choose k candidate sites so the demand they newly cover is
 * as heavy as possible. Greedy — take the site with the largest marginal gain, k times —
 * is within (1 − 1/e) of the optimum (Nemhauser, Wolsey & Fisher 1978) and exact when the
 * candidates' sets are disjoint or k = 1; brute force is here for tests on small worlds.
 */

/** A coverage problem: `sets[c]` lists the demand indices candidate c would cover. */
export interface CoverageProblem {
  weights: readonly number[];
  sets: readonly (readonly number[])[];
  /** Demand already covered (by existing facilities): it earns nothing. */
  covered?: readonly boolean[];
}

/** Greedy's picks in order, each with the weight it newly covered. */
export interface GreedyResult {
  picks: number[];
  gains: number[];
  total: number;
}

/**
 * Greedy maximum coverage: at most k picks; ties go to the lowest candidate index; stops
 * early when no candidate adds anything (a site that covers no one is not worth proposing).
 */
export function greedyMaxCoverage(p: CoverageProblem, k: number): GreedyResult {
  const covered = p.weights.map((_, i) => p.covered?.[i] ?? false);
  const used = new Set<number>();
  const picks: number[] = [];
  const gains: number[] = [];
  for (let round = 0; round < k; round++) {
    let best = -1;
    let bestGain = 0;
    for (let c = 0; c < p.sets.length; c++) {
      if (used.has(c)) continue;
      let gain = 0;
      for (const d of p.sets[c]!) if (!covered[d]) gain += p.weights[d]!;
      if (gain > bestGain) {
        best = c;
        bestGain = gain;
      }
    }
    if (best < 0) break;
    used.add(best);
    picks.push(best);
    gains.push(bestGain);
    for (const d of p.sets[best]!) covered[d] = true;
  }
  return { picks, gains, total: gains.reduce((a, b) => a + b, 0) };
}

/** The weight a choice of candidates newly covers. */
export function coverageOf(p: CoverageProblem, picks: readonly number[]): number {
  const hit = new Set<number>();
  for (const c of picks) for (const d of p.sets[c]!) if (!p.covered?.[d]) hit.add(d);
  let total = 0;
  for (const d of hit) total += p.weights[d]!;
  return total;
}

/** The optimum over every choice of at most k candidates (exponential: small worlds only). */
export function bruteForceMaxCoverage(p: CoverageProblem, k: number): number {
  const n = p.sets.length;
  let best = 0;
  const choose = (start: number, picked: number[]): void => {
    best = Math.max(best, coverageOf(p, picked));
    if (picked.length === k) return;
    for (let c = start; c < n; c++) choose(c + 1, [...picked, c]);
  };
  choose(0, []);
  return best;
}
