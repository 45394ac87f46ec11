/**
 * The ledger core on a real database (both dialects): balanced immutable entries, at most
 * one per transfer id, protected accounts never negative under concurrency, and verify
 * catching rows edited behind the application's back.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedWorld, type World } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { iso } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { accounts } from './accounts.ts';
import { recordLockerFee, recordRefund, recordSale } from './posting.service.ts';
import { transfer, type TransferInput } from './transfer.service.ts';
import { verifyLedger } from './verify.service.ts';

describeEachDialect('ledger core', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
  });
  afterEach(async () => t.close());

  const db = () => t.database.db;
  const at = () => iso(t.clock.now());
  const post = (input: TransferInput) =>
    db()
      .transaction()
      .execute((trx) => transfer(trx, t.clock, input));
  const fund = () => accounts.communityFund(w.community1);
  const cash = () => accounts.cash(w.community1);
  const balance = async (id: string) =>
    (
      await db()
        .selectFrom('ledger_accounts')
        .select('balance')
        .where('id', '=', id)
        .executeTakeFirst()
    )?.balance ?? 0;
  const donate = (id: string, amount: number) =>
    post({
      transferId: id,
      kind: 'donation',
      at: at(),
      memo: '捐赠',
      postings: [
        { account: cash(), amount: -amount },
        { account: fund(), amount },
      ],
    });
  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'ok';
    } catch (e) {
      if (e instanceof AppError) return `${e.status}`;
      throw e;
    }
  };

  it('a transfer posts balanced lines once; a retry returns the original, other content under the same id is a 409', async () => {
    const first = await donate('d-1', 500);
    expect(first.replayed).toBe(false);
    const again = await donate('d-1', 500);
    expect(again).toMatchObject({ id: 'd-1', seq: first.seq, hash: first.hash, replayed: true });
    expect(await codeOf(donate('d-1', 501))).toBe('409');
    expect(await balance(fund().id)).toBe(500);
    expect(await db().selectFrom('ledger_entries').select('id').execute()).toHaveLength(1);
    expect((await verifyLedger(db())).ok).toBe(true);
  });

  it('unbalanced, fractional or oversized postings are a 400 and write nothing', async () => {
    const bad: TransferInput[] = [
      {
        transferId: 'x1',
        kind: 'k',
        at: at(),
        memo: '',
        postings: [
          { account: fund(), amount: 5 },
          { account: cash(), amount: -4 },
        ],
      },
      {
        transferId: 'x2',
        kind: 'k',
        at: at(),
        memo: '',
        postings: [
          { account: fund(), amount: 0.5 },
          { account: cash(), amount: -0.5 },
        ],
      },
      {
        transferId: 'x3',
        kind: 'k',
        at: 'yesterday',
        memo: '',
        postings: [
          { account: fund(), amount: 1 },
          { account: cash(), amount: -1 },
        ],
      },
      {
        transferId: 'bad id with spaces',
        kind: 'k',
        at: at(),
        memo: '',
        postings: [
          { account: fund(), amount: 1 },
          { account: cash(), amount: -1 },
        ],
      },
      {
        transferId: 'x4',
        kind: 'k',
        at: at(),
        memo: '',
        postings: [{ account: fund(), amount: 1 }],
      },
    ];
    for (const b of bad) expect(await codeOf(post(b))).toBe('400');
    expect(await db().selectFrom('ledger_entries').select('id').execute()).toEqual([]);
    expect(await db().selectFrom('ledger_accounts').select('id').execute()).toEqual([]);
  });

  it('20 concurrent transfers out of the fund never take it below zero', async () => {
    await donate('seed', 1000);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(
          post({
            transferId: `spend-${i}`,
            kind: 'fund_spend',
            at: at(),
            memo: '支出',
            postings: [
              { account: fund(), amount: -100 },
              { account: cash(), amount: 100 },
            ],
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    expect(results.filter((r) => r === '409')).toHaveLength(10);
    expect(await balance(fund().id)).toBe(0);
    expect(await verifyLedger(db())).toMatchObject({ ok: true, entries: 11 });
  });

  it('1,000 concurrent submissions of one transfer id make one entry', async () => {
    const results = await Promise.all(Array.from({ length: 1000 }, () => donate('same', 300)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.hash)).size).toBe(1);
    expect(await balance(fund().id)).toBe(300);
    expect(await verifyLedger(db())).toMatchObject({ ok: true, entries: 1 });
  }, 60_000);

  it('verify finds an edited amount, an edited memo, a broken chain, a removed entry and a drifted balance', async () => {
    for (let i = 0; i < 4; i++) await donate(`d${i}`, 100 + i);
    expect((await verifyLedger(db())).ok).toBe(true);
    const tamper = async (
      q: ReturnType<typeof sql> | ReturnType<typeof sql>[],
      expectText: RegExp,
    ) => {
      await db()
        .transaction()
        .execute(async (trx) => {
          for (const one of [q].flat()) await one.execute(trx);
          const r = await verifyLedger(trx);
          expect(r.ok).toBe(false);
          expect(r.problems.join('\n')).toMatch(expectText);
          throw new Error('roll back');
        })
        .catch((e: Error) => expect(e.message).toBe('roll back'));
    };
    await tamper(
      sql`update ledger_postings set amount = amount + 1 where entry_id = 'd1' and line = 1`,
      /d1 .*does not match its hash/,
    );
    await tamper(
      sql`update ledger_entries set memo = '改过' where id = 'd2'`,
      /d2 .*edited after posting/,
    );
    await tamper(
      sql`update ledger_entries set prev_hash = ${'f'.repeat(64)} where id = 'd3'`,
      /d3 .*chain broken/,
    );
    await tamper(
      [
        sql`delete from ledger_postings where entry_id = 'd3'`,
        sql`delete from ledger_entries where id = 'd3'`,
      ],
      /chain head/,
    );
    await tamper(sql`update ledger_chain set seq = 3 where id = 'head'`, /chain head/);
    await tamper(sql`update ledger_entries set seq = 9 where id = 'd1'`, /sequence|chain broken/);
    await tamper(
      sql`update ledger_accounts set balance = balance + 7 where id = ${fund().id}`,
      /stored balance/,
    );
    expect((await verifyLedger(db())).ok).toBe(true);
  });

  it('a sale splits by the hall rules, refunds give back in proportion, over-refunds and double sales are refused', async () => {
    const now = at();
    await db()
      .insertInto('ledger_distribution_rules')
      .values([
        {
          id: 'r1',
          hall_id: w.hall1,
          position: 0,
          recipient: 'community_fund',
          applies_to: 'service',
          percent_bp: 500,
          min_fen: 0,
          max_fen: null,
          updated_by: 'x',
          updated_at: now,
        },
        {
          id: 'r2',
          hall_id: w.hall1,
          position: 1,
          recipient: 'community_venue',
          applies_to: 'all',
          percent_bp: 1000,
          min_fen: 50,
          max_fen: 2000,
          updated_by: 'x',
          updated_at: now,
        },
      ])
      .execute();
    const tx = <T>(f: (trx: Parameters<typeof recordSale>[0]) => Promise<T>) =>
      db().transaction().execute(f);
    const sale = {
      transferId: 'sale-o1',
      hallId: w.hall1,
      orderId: 'o1',
      amountFen: 10_001,
      kind: 'service' as const,
      at: now,
    };
    await tx((trx) => recordSale(trx, t.clock, sale));
    expect(await balance(fund().id)).toBe(500);
    expect(await balance(accounts.communityVenue(w.community1).id)).toBe(1000);
    expect(await balance(accounts.operator(w.hall1, w.community1).id)).toBe(8501);
    // Rules change; a retry of the same sale still returns the original.
    await db().deleteFrom('ledger_distribution_rules').execute();
    expect((await tx((trx) => recordSale(trx, t.clock, sale))).replayed).toBe(true);
    expect(
      await codeOf(tx((trx) => recordSale(trx, t.clock, { ...sale, transferId: 'sale-o1-b' }))),
    ).toBe('409');
    expect(await codeOf(tx((trx) => recordSale(trx, t.clock, { ...sale, amountFen: 1 })))).toBe(
      '409',
    );
    const refund = {
      transferId: 'refund-o1-1',
      hallId: w.hall1,
      orderId: 'o1',
      amountFen: 3333,
      at: now,
    };
    await tx((trx) => recordRefund(trx, t.clock, refund));
    expect(
      await codeOf(
        tx((trx) => recordRefund(trx, t.clock, { ...refund, transferId: 'r2', amountFen: 6669 })),
      ),
    ).toBe('409');
    await tx((trx) => recordRefund(trx, t.clock, { ...refund, transferId: 'r3', amountFen: 6668 }));
    expect((await tx((trx) => recordRefund(trx, t.clock, refund))).replayed).toBe(true);
    for (const id of [
      fund().id,
      accounts.communityVenue(w.community1).id,
      accounts.operator(w.hall1, w.community1).id,
    ])
      expect(await balance(id)).toBe(0);
    expect(await balance('payment_clearing')).toBe(0);
    expect(
      await codeOf(
        tx((trx) => recordRefund(trx, t.clock, { ...refund, transferId: 'r4', orderId: 'nope' })),
      ),
    ).toBe('404');
    await tx((trx) =>
      recordLockerFee(trx, t.clock, {
        transferId: 'fee-p1',
        communityId: w.community1,
        parcelId: 'p1',
        amountFen: 200,
        at: now,
      }),
    );
    expect(await balance(accounts.lockerFees(w.community1).id)).toBe(200);
    expect((await verifyLedger(db())).ok).toBe(true);
  });

  it('property: random sales, refunds and retries keep every entry balanced, protected accounts non-negative and every fen in one place', async () => {
    let run = 0;
    let netTotal = 0;
    const op = fc.oneof(
      fc.record({
        t: fc.constant('sale' as const),
        order: fc.nat(5),
        amount: fc.integer({ min: 1, max: 1_000_000 }),
        kind: fc.constantFrom('goods' as const, 'service' as const),
      }),
      fc.record({
        t: fc.constant('refund' as const),
        order: fc.nat(5),
        amount: fc.integer({ min: 1, max: 500_000 }),
      }),
      fc.record({ t: fc.constant('retry' as const), pick: fc.nat() }),
    );
    await db()
      .insertInto('ledger_distribution_rules')
      .values([
        {
          id: 'p1',
          hall_id: w.hall1,
          position: 0,
          recipient: 'community_fund',
          applies_to: 'service',
          percent_bp: 500,
          min_fen: 1,
          max_fen: 20_000,
          updated_by: 'x',
          updated_at: at(),
        },
        {
          id: 'p2',
          hall_id: w.hall1,
          position: 1,
          recipient: 'community_venue',
          applies_to: 'all',
          percent_bp: 333,
          min_fen: 10,
          max_fen: null,
          updated_by: 'x',
          updated_at: at(),
        },
        {
          id: 'p3',
          hall_id: w.hall1,
          position: 2,
          recipient: 'platform',
          applies_to: 'goods',
          percent_bp: 100,
          min_fen: 0,
          max_fen: 100,
          updated_by: 'x',
          updated_at: at(),
        },
      ])
      .execute();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        run++;
        const done: (() => Promise<unknown>)[] = [];
        let gross = 0; // net money taken in by this run: sales minus refunds
        for (const [i, o] of ops.entries()) {
          const order = 'order' in o ? `run${run}-o${o.order}` : '';
          const call =
            o.t === 'sale'
              ? () =>
                  db()
                    .transaction()
                    .execute((trx) =>
                      recordSale(trx, t.clock, {
                        transferId: `s-${order}`,
                        hallId: w.hall1,
                        orderId: order,
                        amountFen: o.amount,
                        kind: o.kind,
                        at: at(),
                      }),
                    )
              : o.t === 'refund'
                ? () =>
                    db()
                      .transaction()
                      .execute((trx) =>
                        recordRefund(trx, t.clock, {
                          transferId: `r-${run}-${i}`,
                          hallId: w.hall1,
                          orderId: order,
                          amountFen: o.amount,
                          at: at(),
                        }),
                      )
                : done.length
                  ? done[o.pick % done.length]!
                  : null;
          if (!call) continue;
          const before = await db()
            .selectFrom('ledger_entries')
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow();
          const r = await codeOf(call());
          if (r === 'ok') {
            done.push(call);
            if (o.t !== 'retry') {
              const after = await db()
                .selectFrom('ledger_entries')
                .select(sql<number>`count(*)`.as('n'))
                .executeTakeFirstOrThrow();
              if (Number(after.n) > Number(before.n))
                gross += o.t === 'sale' ? o.amount : -o.amount;
            }
          } else expect(['409', '404']).toContain(r);
          if (o.t === 'retry') {
            const after = await db()
              .selectFrom('ledger_entries')
              .select(sql<number>`count(*)`.as('n'))
              .executeTakeFirstOrThrow();
            expect(Number(after.n)).toBe(Number(before.n));
          }
        }
        const all = await db()
          .selectFrom('ledger_accounts')
          .select(['id', 'balance', 'no_negative'])
          .execute();
        expect(all.reduce((a, x) => a + x.balance, 0)).toBe(0);
        for (const a of all) if (a.no_negative) expect(a.balance).toBeGreaterThanOrEqual(0);
        const clearing = all.find((a) => a.id === 'payment_clearing')?.balance ?? 0;
        netTotal += gross;
        expect(-clearing + 0).toBe(netTotal);
        const v = await verifyLedger(db());
        expect(v.problems).toEqual([]);
      }),
      { seed: 17, numRuns: dialect === 'sqlite' ? 60 : 25 },
    );
  }, 120_000);
});
