/**
 * The finance routes: rules and terms edited by the community office only, the journal
 * and CSV, partner agreements, the period close exactly once under concurrency, and a
 * partner who sees only their own statement.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { auth, seedWorld, type World } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { iso } from '../../platform/clock.ts';
import { closePeriod } from './close.service.ts';
import { closesOf } from './partner.repository.ts';
import { recordSale } from './posting.service.ts';

describeEachDialect('ledger routes', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    // residentB is also a partner of hall 1 (a second partner for BOLA).
    await t.database.db
      .insertInto('role_grants')
      .values({
        id: '019a0000-0000-7000-8000-0000000000b2',
        user_id: w.users.residentB.id,
        role: 'partner',
        scope_kind: 'hall',
        scope_id: w.hall1,
        community_id: w.community1,
        created_at: iso(t.clock.now()),
        created_by: null,
      })
      .execute();
  });
  afterEach(async () => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    who: Parameters<typeof auth>[1],
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });
  const finance = {
    rules: [
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
        minFen: 0,
        maxFen: 100_000,
      },
    ],
    totalShares: 100,
    payoutBp: 6000,
  };

  it('only the community office edits the rules; hall staff read them; bad rule sets are a 400 that names the problem', async () => {
    expect((await call('PUT', `/halls/${w.hall1}/finance`, 'hallStaff1', finance)).statusCode).toBe(
      403,
    );
    expect(
      (await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker2', finance)).statusCode,
    ).toBe(404);
    const over = {
      ...finance,
      rules: [{ ...finance.rules[0], percentBp: 9500 }, finance.rules[1]],
    };
    const bad = await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', over);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/超过100%/);
    expect(
      (
        await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', {
          ...finance,
          totalShares: 0,
        })
      ).statusCode,
    ).toBe(400);
    const ok = await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', finance);
    expect(ok.statusCode).toBe(200);
    expect((await call('GET', `/halls/${w.hall1}/finance`, 'hallStaff1')).json()).toEqual(finance);
  });

  it('a month closes once (also under concurrent requests) and each partner sees only their own statement', async () => {
    await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', finance);
    const agree = (userId: string, shares: number) =>
      call('POST', `/halls/${w.hall1}/partners`, 'communityWorker1', {
        userId,
        shares,
        investedFen: shares * 100_000,
        startedOn: '2026-10-01',
      });
    expect((await agree(w.users.residentA.id, 10)).json().error.message).toMatch(/合伙人/);
    const a1 = (await agree(w.users.partner1.id, 30)).json();
    const a2 = (await agree(w.users.residentB.id, 20)).json();
    expect((await agree(w.users.partner1.id, 51)).statusCode).toBe(409);
    await t.database.db.transaction().execute((trx) =>
      recordSale(trx, t.clock, {
        transferId: 'sale-1',
        hallId: w.hall1,
        orderId: 'o-1',
        amountFen: 100_001,
        kind: 'service',
        at: '2026-10-15T04:00:00.000Z',
      }),
    );
    // Operator keeps 100 001 − 5 000 − 10 000 = 85 001; 60 % of it (51 000) is the pool.
    const early = await call('POST', `/halls/${w.hall1}/closes`, 'communityWorker1', {
      period: '2026-11',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toMatch(/还没有结束/);
    const tries = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', `/halls/${w.hall1}/closes`, 'communityWorker1', { period: '2026-10' }),
      ),
    );
    expect(tries.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const closed = tries.find((r) => r.statusCode === 201)!.json();
    expect(closed).toMatchObject({ profitFen: 85_001, dividendsFen: 25_500 });
    expect([...closed.partners].sort((a, b) => b.shares - a.shares)).toEqual([
      { agreementId: a1.agreementId, shares: 30, dividendFen: 15_300 },
      { agreementId: a2.agreementId, shares: 20, dividendFen: 10_200 },
    ]);
    expect((await call('GET', `/halls/${w.hall1}/closes`, 'hallStaff1')).json()).toHaveLength(1);

    const mine = (await call('GET', '/me/partner', 'partner1')).json();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      agreementId: a1.agreementId,
      balanceFen: 15_300,
      dividendsFen: 15_300,
      shares: 30,
      totalShares: 100,
    });
    expect(
      (await call('GET', `/me/partner/statement.csv?agreementId=${a2.agreementId}`, 'partner1'))
        .statusCode,
    ).toBe(404);
    const csv = await call(
      'GET',
      `/me/partner/statement.csv?agreementId=${a1.agreementId}`,
      'partner1',
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('"153.00"');
    expect((await call('GET', '/me/partner', 'residentA')).statusCode).toBe(403);
    expect(
      (await call('GET', `/halls/${w.hall1}/partners/${a2.agreementId}/statement`, 'hallStaff1'))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await call(
          'GET',
          `/halls/${w.hall1}/partners/${a2.agreementId}/statement`,
          'communityWorker1',
        )
      ).json().balanceFen,
    ).toBe(10_200);

    const ledger = (
      await call('GET', `/halls/${w.hall1}/ledger?kind=dividend`, 'hallStaff1')
    ).json();
    expect(ledger.entries).toHaveLength(1);
    expect(
      ledger.balances.find((b: { kind: string }) => b.kind === 'community_fund').balanceFen,
    ).toBe(5000);
    const jcsv = await call('GET', `/halls/${w.hall1}/ledger/journal.csv`, 'hallStaff1');
    expect(jcsv.body.split('\r\n').length).toBeGreaterThan(5);
    expect((await call('GET', `/halls/${w.hall2}/ledger`, 'hallStaff1')).statusCode).toBe(404);
  });

  it('employees are listed with the share of local residents', async () => {
    for (const [name, local] of [
      ['王姐', true],
      ['小李', true],
      ['张师傅', false],
    ] as const)
      expect(
        (
          await call('POST', `/halls/${w.hall1}/employees`, 'hallStaff1', {
            name,
            job: '店员',
            localResident: local,
            startedOn: '2026-09-01',
          })
        ).statusCode,
      ).toBe(201);
    expect(
      (
        await call('POST', `/halls/${w.hall1}/employees`, 'hallStaff1', {
          name: 'x',
          job: '店员',
          localResident: true,
          startedOn: '2026-13-01',
        })
      ).statusCode,
    ).toBe(400);
    // A day that does not exist is refused too, for employees and partner agreements alike.
    for (const day of ['2026-02-31', '2026-04-31', '2025-02-29'])
      expect(
        (
          await call('POST', `/halls/${w.hall1}/employees`, 'hallStaff1', {
            name: 'y',
            job: '店员',
            localResident: true,
            startedOn: day,
          })
        ).statusCode,
        day,
      ).toBe(400);
    const partner = await call('POST', `/halls/${w.hall1}/partners`, 'communityWorker1', {
      userId: w.users.partner1.id,
      shares: 1,
      investedFen: 100,
      startedOn: '2026-02-30',
    });
    expect(partner.statusCode).toBe(400);
    expect(partner.json().error.message).toMatch(/YYYY-MM-DD/);
    expect((await call('GET', `/halls/${w.hall1}/employees`, 'hallStaff1')).json()).toMatchObject({
      total: 3,
      localResidents: 2,
      localShareBp: 6667,
    });
  });

  it('closes months in order: none skipped, none written behind a later one', async () => {
    await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', finance);
    const close = (period: string) =>
      call('POST', `/halls/${w.hall1}/closes`, 'communityWorker1', { period });
    expect((await close('2026-10')).statusCode).toBe(201); // a hall's first close: any month that ended
    const behind = await close('2026-09');
    expect(behind.statusCode).toBe(409);
    expect(behind.json().error.message).toMatch(/已结账到 2026-10/);
    // Into January 2027, so November and December have ended (the service itself: the world's
    // sign-in tokens do not live that long).
    t.clock.advance(62 * 86_400_000);
    const byService = (period: string) =>
      closePeriod(t.deps, w.hall1, period, w.users.communityWorker1.id);
    await expect(byService('2026-12')).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/请先结 2026-11/),
    });
    await byService('2026-11');
    await byService('2026-12');
    const periods = (await closesOf(t.database.db, w.hall1)).map((c) => c.period);
    expect(periods).toEqual(['2026-12', '2026-11', '2026-10']);
  });
});
