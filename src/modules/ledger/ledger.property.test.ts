/**
 * The ledger's invariants over 10,000 generated sequences of sales, refunds, rule changes
 * (how sales are distributed), period closes, time passing and retries, on the real
 * posting code and a real database. Each sequence runs in a transaction rolled back at its
 * end (each step under a savepoint), so every sequence starts from the same empty ledger
 * and the tables stay small: that is what makes 10,000 fit in `npm test` on SQLite.
 * PostgreSQL runs fewer (ledger.test.ts keeps its own smaller property test too).
 *
 * After every sequence: each entry's postings sum to zero (debits = credits); every
 * account's balance is the sum of its postings and protected accounts are not negative;
 * every fen of net revenue sits in exactly one account (the clearing account owes it all,
 * the hall's revenue account passes it through, and each order's holders hold what was
 * sold minus what was refunded). At every retry: the ledger is unchanged.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedWorld, type World } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { cryptoRandom, iso, ManualClock } from '../../platform/clock.ts';
import {
  callOf,
  type Ctx,
  type Outcome,
  runStep,
  step,
  type Trx,
} from './ledger.property.actions.ts';
import { upsertTerms } from './rules.repository.ts';
import { verifyLedger } from './verify.service.ts';

const START = Date.UTC(2026, 10, 26, 2);

/** What the ledger holds, for comparing before and after a retry. */
async function snapshot(trx: Trx): Promise<string> {
  const [n, rows] = await Promise.all([
    trx
      .selectFrom('ledger_entries')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
    trx.selectFrom('ledger_accounts').select(['id', 'balance']).orderBy('id').execute(),
  ]);
  return JSON.stringify([Number(n.n), rows]);
}

/** The invariants every sequence must leave true; `net` is sold minus refunded per order. */
async function checkInvariants(trx: Trx, hallId: string, net: Map<string, number>) {
  const unbalanced = await trx
    .selectFrom('ledger_postings')
    .select(['entry_id', (eb) => eb.fn.sum<number>('amount').as('s')])
    .groupBy('entry_id')
    .having((eb) => eb.fn.sum('amount'), '!=', 0)
    .execute();
  expect(unbalanced).toEqual([]);
  const accountRows = await trx
    .selectFrom('ledger_accounts')
    .select(['id', 'kind', 'balance', 'no_negative'])
    .execute();
  const sums = await trx
    .selectFrom('ledger_postings')
    .select(['account_id', (eb) => eb.fn.sum<number>('amount').as('s')])
    .groupBy('account_id')
    .execute();
  const sumOf = new Map(sums.map((r) => [r.account_id, Number(r.s)]));
  let total = 0;
  let clearing = 0;
  for (const a of accountRows) {
    expect(a.balance).toBe(sumOf.get(a.id) ?? 0);
    if (a.no_negative) expect(a.balance).toBeGreaterThanOrEqual(0);
    if (a.kind === 'hall_revenue') expect(a.balance).toBe(0);
    if (a.kind === 'payment_clearing') clearing = a.balance;
    total += a.balance;
  }
  expect(total).toBe(0);
  const expected = [...net.values()].reduce((x, y) => x + y, 0);
  expect(0 - clearing + 0).toBe(expected);
  const held = await trx
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .innerJoin('ledger_accounts as a', 'a.id', 'p.account_id')
    .select(['e.ref_id', (eb) => eb.fn.sum<number>('p.amount').as('s')])
    .where('e.ref_kind', '=', 'hall_order')
    .where('e.hall_id', '=', hallId)
    .where('a.kind', 'not in', ['payment_clearing', 'hall_revenue'])
    .groupBy('e.ref_id')
    .execute();
  const heldOf = new Map(held.map((r) => [r.ref_id, Number(r.s)]));
  for (const [order, n] of net) expect(heldOf.get(order) ?? 0).toBe(n);
}

describeEachDialect('ledger property (generated sequences)', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    const at = iso(t.clock.now());
    await upsertTerms(t.database.db, {
      hall_id: w.hall1,
      total_shares: 100,
      payout_bp: 6_000,
      updated_at: at,
    });
    await t.database.db
      .insertInto('partner_agreements')
      .values(
        (['partner1', 'residentA'] as const).map((who, i) => ({
          id: `pa-${i}`,
          hall_id: w.hall1,
          community_id: w.community1,
          user_id: w.users[who].id,
          shares: i === 0 ? 30 : 7,
          invested_fen: 1_000_000,
          started_on: '2020-01-01',
          created_by: w.users.admin.id,
          created_at: at,
        })),
      )
      .execute();
  });
  afterAll(async () => t?.close());

  const numRuns = dialect === 'sqlite' ? 10_000 : 100;
  it(`keeps its invariants over ${numRuns} sequences`, async () => {
    let sequences = 0;
    let steps = 0;
    const outcomes: Record<string, number> = {};
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 7 }), async (seq) => {
        sequences++;
        const ctx: Ctx = { hallId: w.hall1, clock: new ManualClock(START), random: cryptoRandom };
        const net = new Map<string, number>();
        const done: { call: NonNullable<ReturnType<typeof callOf>>; s: (typeof seq)[number] }[] =
          [];
        const trx = await t.database.db.startTransaction().execute();
        try {
          for (const [i, s] of seq.entries()) {
            steps++;
            if (s.t === 'advance') {
              ctx.clock.advance(s.days * 86_400_000);
              continue;
            }
            if (s.t === 'retry') {
              if (!done.length) continue;
              const again = done[s.pick % done.length]!;
              const before = await snapshot(trx);
              const out = await runStep(trx, again.call);
              // A retried sale or refund returns the original; a retried close is refused (409).
              expect(
                out.kind === 'replayed' || (out.kind === 'refused' && out.status === 409),
              ).toBe(true);
              expect(await snapshot(trx)).toBe(before);
              count(outcomes, `retry-${out.kind}`);
              continue;
            }
            const call = callOf(ctx, s, i)!;
            const out: Outcome = await runStep(trx, call);
            count(outcomes, `${s.t}-${out.kind}`);
            if (out.kind === 'refused') {
              expect([404, 409]).toContain(out.status);
              continue;
            }
            if (s.t !== 'rules') done.push({ call, s });
            if (out.kind === 'posted' && s.t === 'sale') net.set(`o${s.order}`, s.amount);
            if (out.kind === 'posted' && s.t === 'refund')
              net.set(`o${s.order}`, net.get(`o${s.order}`)! - s.amount);
          }
          await checkInvariants(trx, w.hall1, net);
          if (sequences % 1_000 === 0) expect((await verifyLedger(trx)).problems).toEqual([]);
        } finally {
          await trx.rollback().execute();
        }
      }),
      { seed: 1717, numRuns },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `ledger property [${dialect}]: ${sequences} sequences, ${steps} steps in ${seconds.toFixed(1)} s`,
      JSON.stringify(outcomes),
    );
    expect(sequences).toBe(numRuns);
    // The generator reaches every kind of step and outcome the invariants are about.
    for (const k of [
      'sale-posted',
      'refund-posted',
      'refund-refused',
      'close-posted',
      'retry-replayed',
    ])
      expect(outcomes[k] ?? 0).toBeGreaterThan(0);
  }, 600_000);
});

function count(o: Record<string, number>, k: string) {
  o[k] = (o[k] ?? 0) + 1;
}
