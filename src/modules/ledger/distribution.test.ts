/**
 * The split rules, property-tested on a fixed seed: the parts always sum to the whole,
 * none is negative, maxima hold and minima hold whenever the sale can pay them; the
 * proportional split is exact and never gives a part more than its share rounded up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleProblems, type Rule, splitByWeight, splitSale } from './distribution.ts';

const rule = fc.record({
  recipient: fc.constantFrom(
    'community_fund' as const,
    'community_venue' as const,
    'platform' as const,
  ),
  appliesTo: fc.constantFrom('service' as const, 'goods' as const, 'all' as const),
  percentBp: fc.integer({ min: 0, max: 10_000 }),
  minFen: fc.integer({ min: 0, max: 50_000 }),
  maxFen: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: null }),
});

describe('distribution', () => {
  it('5 % to the fund, a capped venue fee, the rest (and every rounding fen) to the operator', () => {
    const rules: Rule[] = [
      {
        recipient: 'community_fund',
        appliesTo: 'service',
        percentBp: 500,
        minFen: 0,
        maxFen: null,
      },
      {
        recipient: 'community_venue',
        appliesTo: 'all',
        percentBp: 1000,
        minFen: 100,
        maxFen: 5000,
      },
    ];
    expect(splitSale(12_345, 'service', rules)).toEqual({
      parts: [
        { recipient: 'community_fund', amount: 617 },
        { recipient: 'community_venue', amount: 1234 },
      ],
      operator: 10_494,
    });
    expect(splitSale(12_345, 'goods', rules).parts).toEqual([
      { recipient: 'community_venue', amount: 1234 },
    ]);
    expect(splitSale(99, 'service', rules)).toEqual({
      parts: [
        { recipient: 'community_fund', amount: 4 },
        { recipient: 'community_venue', amount: 95 },
      ],
      operator: 0,
    });
    expect(splitSale(1_000_000, 'service', rules).parts[1]!.amount).toBe(5000);
  });

  it('property (10,000 runs): parts sum to the whole, none negative, max respected, min met when affordable', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.constantFrom('goods' as const, 'service' as const),
        fc.array(rule, { maxLength: 5 }),
        (amount, kind, rules) => {
          const s = splitSale(amount, kind, rules);
          const all = [...s.parts.map((p) => p.amount), s.operator];
          expect(all.reduce((a, b) => a + b, 0)).toBe(amount);
          for (const x of all) expect(Number.isSafeInteger(x) && x >= 0).toBe(true);
          const applied = rules.filter((r) => r.appliesTo === 'all' || r.appliesTo === kind);
          let left = amount;
          applied.forEach((r, i) => {
            const got = s.parts[i]!.amount;
            if (r.maxFen !== null) expect(got).toBeLessThanOrEqual(r.maxFen);
            const wanted = r.maxFen === null ? r.minFen : Math.min(r.minFen, r.maxFen);
            expect(got).toBeGreaterThanOrEqual(Math.min(wanted, left));
            left -= got;
          });
        },
      ),
      { seed: 2025, numRuns: 10_000 },
    );
  });

  it('property (10,000 runs): the proportional split is exact and within one fen of the true share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (weights, r) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          const total = sum === 0 ? 0 : r % (sum + 1);
          const parts = splitByWeight(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            const exact = (total * weights[i]!) / (sum || 1);
            expect(p).toBeGreaterThanOrEqual(Math.floor(exact) - 0);
            expect(p).toBeLessThanOrEqual(Math.ceil(exact));
            expect(p).toBeLessThanOrEqual(weights[i]!);
          });
        },
      ),
      { seed: 2026, numRuns: 10_000 },
    );
  });

  it('rule sets over 100 % or with a maximum below the minimum are named', () => {
    expect(
      ruleProblems([
        { recipient: 'community_fund', appliesTo: 'all', percentBp: 6000, minFen: 0, maxFen: null },
        { recipient: 'platform', appliesTo: 'service', percentBp: 5000, minFen: 10, maxFen: 5 },
      ]),
    ).toEqual([expect.stringContaining('100%'), expect.stringContaining('Rule 2')]);
  });
});
