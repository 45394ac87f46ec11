/**
 * The fund in the open: a paid order's share shows on the public page; residents of the
 * community (and only they) propose and vote, one ballot per household even under
 * concurrent requests; the tally publishes counts; a payment needs two different people
 * of the office and leaves the fund through the ledger with a link to the project.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { addHouseholdMember, auth, seedWorld, type World } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { iso } from '../../platform/clock.ts';
import { recordSale, verifyLedger } from '../ledger/index.ts';

describeEachDialect('community development fund', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
  });
  afterEach(async () => t.close());

  type Who = Parameters<typeof auth>[1];
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: Who | null, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      ...(who ? { headers: auth(w, who) } : {}),
      ...(payload ? { payload } : {}),
    });
  const page = async (community: string) =>
    (await call('GET', `/public/communities/${community}/fund`, null)).json();

  it('from a paid order to a voted, twice-approved project paid out of the fund, all in public', async () => {
    await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', {
      rules: [
        {
          recipient: 'community_fund',
          appliesTo: 'service',
          percentBp: 500,
          minFen: 0,
          maxFen: null,
        },
      ],
      totalShares: 100,
      payoutBp: 0,
    });
    await t.database.db.transaction().execute((trx) =>
      recordSale(trx, t.clock, {
        transferId: 'sale-1',
        hallId: w.hall1,
        orderId: 'o-1',
        amountFen: 200_000,
        kind: 'service',
        at: iso(t.clock.now()),
      }),
    );
    const before = await page(w.community1);
    expect(before.balanceFen).toBe(10_000);
    expect(before.income).toEqual([
      { source: expect.stringContaining('服务大厅营业收入分成'), amountFen: 10_000 },
    ]);
    expect((await page(w.community2)).balanceFen).toBe(0);
    expect((await call('GET', `/public/communities/${w.hall1}/fund`, null)).statusCode).toBe(404);

    const proposal = (who: Who, community: string, title: string, budgetFen: number) =>
      call('POST', `/communities/${community}/fund/proposals`, who, {
        title,
        description: '在3号楼前装两张长椅，方便老人歇脚。',
        budgetFen,
      });
    expect((await proposal('residentC', w.community1, '长椅', 3000)).statusCode).toBe(404);
    expect((await proposal('residentA', w.community1, '长椅', 0)).statusCode).toBe(400);
    const bench = (await proposal('residentA', w.community1, '楼前长椅', 6000)).json();
    t.clock.advance(1000);
    const light = (await proposal('residentB', w.community1, '楼道感应灯', 5000)).json();
    const books = (await proposal('residentB', w.community1, '儿童图书角', 3000)).json();
    expect(bench.status).toBe('open');

    const now = t.clock.now();
    const round = await call(
      'POST',
      `/communities/${w.community1}/fund/rounds`,
      'communityWorker1',
      {
        title: '2026年冬季微实事',
        budgetCapFen: 9000,
        opensAt: iso(now - 60_000),
        closesAt: iso(now + 5 * 60_000),
      },
    );
    expect(round.statusCode).toBe(201);
    const roundId = round.json().roundId;
    expect(round.json().proposals).toHaveLength(3);
    const ballot = (who: Who, ids: string[]) =>
      call('POST', `/fund/rounds/${roundId}/ballot`, who, { proposalIds: ids });
    const over = await ballot('residentA', [bench.proposalId, light.proposalId]);
    expect(over.statusCode).toBe(400);
    expect(over.json().error.message).toMatch(/超过本轮上限/);
    expect((await ballot('residentC', [bench.proposalId])).statusCode).toBe(404);
    expect((await ballot('residentA', [bench.proposalId, books.proposalId])).statusCode).toBe(201);
    expect((await ballot('residentA', [light.proposalId])).statusCode).toBe(409);
    const many = await Promise.all(
      Array.from({ length: 10 }, () => ballot('residentB', [light.proposalId, books.proposalId])),
    );
    expect(many.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(
      (
        await call(
          'POST',
          `/communities/${w.community1}/fund/rounds/${roundId}/tally`,
          'communityWorker1',
        )
      ).statusCode,
    ).toBe(409);

    t.clock.advance(6 * 60_000);
    const counted = await call(
      'POST',
      `/communities/${w.community1}/fund/rounds/${roundId}/tally`,
      'communityWorker1',
    );
    expect(counted.statusCode).toBe(200);
    const byTitle = Object.fromEntries(
      counted.json().proposals.map((p: { title: string }) => [p.title, p]),
    );
    // books 2 votes (3 000), then bench and light 1 each: bench is earlier and fits (6 000); light no longer fits.
    expect(byTitle['儿童图书角']).toMatchObject({ votes: 2, status: 'selected' });
    expect(byTitle['楼前长椅']).toMatchObject({ votes: 1, status: 'selected' });
    expect(byTitle['楼道感应灯']).toMatchObject({ votes: 1, status: 'not_selected' });
    expect(counted.json().ballots).toBe(2);
    expect(
      (
        await call(
          'POST',
          `/communities/${w.community1}/fund/rounds/${roundId}/tally`,
          'communityWorker1',
        )
      ).statusCode,
    ).toBe(409);

    const spend = (proposalId: string, amountFen: number) =>
      call('POST', `/communities/${w.community1}/fund/spends`, 'communityWorker1', {
        proposalId,
        amountFen,
        payee: '金泉五金店',
        receipt: 'FP-2026-0042',
      });
    expect((await spend(light.proposalId, 1000)).statusCode).toBe(409);
    expect((await spend(bench.proposalId, 7000)).statusCode).toBe(400);
    const req = (await spend(bench.proposalId, 5800)).json();
    expect(req.status).toBe('pending');
    const approve = (who: Who, id: string) =>
      call('POST', `/communities/${w.community1}/fund/spends/${id}/approve`, who);
    expect((await approve('communityWorker1', req.spendId)).statusCode).toBe(403);
    expect((await approve('communityWorker2', req.spendId)).statusCode).toBe(404);
    const done = await approve('officer', req.spendId);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'executed', entryId: `fund-spend:${req.spendId}` });
    expect((await approve('officer', req.spendId)).statusCode).toBe(409);
    // The books corner costs 3 000 but only 4 200 is left after the bench: a 5 000 payment is refused by the ledger.
    const tooMuch = (await spend(books.proposalId, 3000)).json();
    await t.database.db
      .updateTable('fund_proposals')
      .set({ budget_fen: 5000 })
      .where('id', '=', books.proposalId)
      .execute();
    const big = (await spend(books.proposalId, 5000)).json();
    expect((await approve('officer', big.spendId)).statusCode).toBe(409);
    expect((await approve('officer', tooMuch.spendId)).statusCode).toBe(200);

    const after = await page(w.community1);
    expect(after.balanceFen).toBe(10_000 - 5800 - 3000);
    const benchPublic = after.projects.find(
      (p: { proposalId: string }) => p.proposalId === bench.proposalId,
    );
    expect(benchPublic).toMatchObject({
      status: 'funded',
      votes: 1,
      payments: [
        expect.objectContaining({
          payee: '金泉五金店',
          receipt: 'FP-2026-0042',
          status: 'executed',
        }),
      ],
    });
    expect(
      after.movements.filter(
        (m: { proposalId: string | null }) => m.proposalId === bench.proposalId,
      ),
    ).toEqual([expect.objectContaining({ amountFen: -5800, kind: 'fund_spend' })]);
    expect(JSON.stringify(after)).not.toMatch(/residentA|138000/);
    expect((await verifyLedger(t.database.db)).ok).toBe(true);
  });

  /** Money in the fund and one project residents selected (budget 6 000 fen). */
  async function selectedProject(fundFen: number) {
    await t.database.db.transaction().execute((trx) =>
      recordSale(trx, t.clock, {
        transferId: 'sale-big',
        hallId: w.hall1,
        orderId: 'o-big',
        amountFen: fundFen,
        kind: 'service',
        at: iso(t.clock.now()),
      }),
    );
    const p = (
      await call('POST', `/communities/${w.community1}/fund/proposals`, 'residentA', {
        title: '楼前长椅',
        description: '在3号楼前装两张长椅。',
        budgetFen: 6000,
      })
    ).json();
    const now = t.clock.now();
    const round = (
      await call('POST', `/communities/${w.community1}/fund/rounds`, 'communityWorker1', {
        title: '微实事',
        budgetCapFen: 10_000,
        opensAt: iso(now - 60_000),
        closesAt: iso(now + 60_000),
      })
    ).json();
    await call('POST', `/fund/rounds/${round.roundId}/ballot`, 'residentA', {
      proposalIds: [p.proposalId],
    });
    t.clock.advance(2 * 60_000);
    await call(
      'POST',
      `/communities/${w.community1}/fund/rounds/${round.roundId}/tally`,
      'communityWorker1',
    );
    return { proposalId: p.proposalId as string, roundId: round.roundId as string };
  }

  it('a project is paid in instalments, never above its budget in all, also when approvals race', async () => {
    await call('PUT', `/halls/${w.hall1}/finance`, 'communityWorker1', {
      rules: [
        {
          recipient: 'community_fund',
          appliesTo: 'all',
          percentBp: 10_000,
          minFen: 0,
          maxFen: null,
        },
      ],
      totalShares: 100,
      payoutBp: 0,
    });
    const { proposalId } = await selectedProject(100_000);
    const spend = async () =>
      (
        await call('POST', `/communities/${w.community1}/fund/spends`, 'communityWorker1', {
          proposalId,
          amountFen: 5800,
          payee: '金泉五金店',
          receipt: 'FP-1',
        })
      ).json().spendId as string;
    const ids = [await spend(), await spend(), await spend()];
    const approvals = await Promise.all(
      ids.map((id) =>
        call('POST', `/communities/${w.community1}/fund/spends/${id}/approve`, 'officer'),
      ),
    );
    expect(approvals.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(approvals.find((r) => r.statusCode === 409)!.json().error.message).toMatch(
      /超过项目预算/,
    );
    const fund = await page(w.community1);
    expect(fund.balanceFen).toBe(100_000 - 5800);
    expect(fund.movements.filter((m: { kind: string }) => m.kind === 'fund_spend')).toHaveLength(1);
    // The refused requests changed nothing: still pending, no ledger entry.
    const rows = await t.database.db
      .selectFrom('fund_spends')
      .select(['status', 'entry_id'])
      .execute();
    expect(rows.filter((r) => r.status === 'executed')).toHaveLength(1);
    expect((await verifyLedger(t.database.db)).ok).toBe(true);

    // Instalments: the balance of the budget (200 of 6000 left) can still be paid, once.
    const tooMuch = await call(
      'POST',
      `/communities/${w.community1}/fund/spends`,
      'communityWorker1',
      {
        proposalId,
        amountFen: 201,
        payee: '金泉五金店',
        receipt: 'FP-2',
      },
    );
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.message).toMatch(/剩余预算 2 元.*已支出 58 元/);
    const balance = async () =>
      (
        await call('POST', `/communities/${w.community1}/fund/spends`, 'communityWorker1', {
          proposalId,
          amountFen: 200,
          payee: '金泉五金店',
          receipt: 'FP-2',
        })
      ).json().spendId as string;
    const [b1, b2] = [await balance(), await balance()];
    const final = await Promise.all(
      [b1, b2].map((id) =>
        call('POST', `/communities/${w.community1}/fund/spends/${id}/approve`, 'officer'),
      ),
    );
    expect(final.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const paid = await t.database.db
      .selectFrom('fund_proposals')
      .select(['paid_fen', 'budget_fen', 'status'])
      .where('id', '=', proposalId)
      .executeTakeFirstOrThrow();
    expect(paid).toEqual({ paid_fen: 6000, budget_fen: 6000, status: 'funded' });
    expect((await page(w.community1)).balanceFen).toBe(100_000 - 6000);
    expect((await verifyLedger(t.database.db)).ok).toBe(true);
  });

  it('two members of one household cast one ballot between them, also concurrently', async () => {
    const p = (
      await call('POST', `/communities/${w.community1}/fund/proposals`, 'residentA', {
        title: '儿童图书角',
        description: '活动室里放两个书架。',
        budgetFen: 3000,
      })
    ).json();
    const now = t.clock.now();
    const round = (
      await call('POST', `/communities/${w.community1}/fund/rounds`, 'communityWorker1', {
        title: '微实事',
        budgetCapFen: 10_000,
        opensAt: iso(now - 60_000),
        closesAt: iso(now + 60_000),
      })
    ).json();
    const members = [
      await addHouseholdMember(t, w.unitA, w.community1, 'unitA-spouse'),
      await addHouseholdMember(t, w.unitA, w.community1, 'unitA-son'),
    ];
    const tokens = [w.users.residentA.token, ...members.map((m) => m.token)];
    const answers = await Promise.all(
      [...tokens, ...tokens, ...tokens].map((token) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/fund/rounds/${round.roundId}/ballot`,
          headers: { authorization: `Bearer ${token}` },
          payload: { proposalIds: [p.proposalId] },
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, ...Array(8).fill(409)]);
    t.clock.advance(2 * 60_000);
    const counted = (
      await call(
        'POST',
        `/communities/${w.community1}/fund/rounds/${round.roundId}/tally`,
        'communityWorker1',
      )
    ).json();
    expect(counted.ballots).toBe(1);
    const acts = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/communities/${w.community1}/fund-households`,
      headers: { authorization: `Bearer ${members[1]!.token}` },
    });
    expect(acts.json()).toEqual([
      expect.objectContaining({ unitId: w.unitA, voted: [round.roundId] }),
    ]);
    expect(counted.proposals[0]).toMatchObject({ votes: 1, status: 'selected' });
  });

  it('residents support proposals (one per household, also concurrently); a round takes those with enough support; counts are public', async () => {
    const propose = async (title: string) =>
      (
        await call('POST', `/communities/${w.community1}/fund/proposals`, 'residentA', {
          title,
          description: '为小区做一件实事。',
          budgetFen: 2000,
        })
      ).json().proposalId as string;
    const benches = await propose('楼前长椅');
    const lights = await propose('楼道感应灯');
    const supportAs = (token: string, id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/fund/proposals/${id}/support`,
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
    const spouse = await addHouseholdMember(t, w.unitA, w.community1, 'unitA-support');
    const unitA = [w.users.residentA.token, spouse.token];
    const first = await Promise.all(
      [...unitA, ...unitA, ...unitA].map((tk) => supportAs(tk, benches)),
    );
    expect(first.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(first.find((r) => r.statusCode === 409)!.json().error.message).toMatch(
      /每户只能支持一次/,
    );
    const b = await supportAs(w.users.residentB.token, benches);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ proposalId: benches, supports: 2 });
    expect((await supportAs(w.users.residentB.token, lights)).statusCode).toBe(201);
    // Another community's resident cannot support here; an unknown proposal is a 404.
    expect((await supportAs(w.users.residentC.token, benches)).statusCode).toBe(404);
    expect((await supportAs(w.users.residentA.token, w.community1)).statusCode).toBe(404);
    // Each household reads its own acts (the app turns 支持 into 本户已支持): never another's.
    const acts = (token: string, communityId = w.community1) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/me/communities/${communityId}/fund-households`,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await acts(spouse.token)).json()).toEqual([
      { unitId: w.unitA, supported: [benches], voted: [] },
    ]);
    expect((await acts(w.users.residentB.token)).json()).toEqual([
      { unitId: w.unitB, supported: expect.arrayContaining([benches, lights]), voted: [] },
    ]);
    expect((await acts(w.users.residentC.token)).statusCode).toBe(404);
    expect((await acts(w.users.residentA.token, w.community2)).statusCode).toBe(404);
    const before = await page(w.community1);
    expect(
      Object.fromEntries(
        before.projects.map((p: { title: string; supports: number }) => [p.title, p.supports]),
      ),
    ).toEqual({ 楼前长椅: 2, 楼道感应灯: 1 });

    const now = t.clock.now();
    const open = (minSupports: number) =>
      call('POST', `/communities/${w.community1}/fund/rounds`, 'communityWorker1', {
        title: '微实事',
        budgetCapFen: 10_000,
        opensAt: iso(now - 60_000),
        closesAt: iso(now + 60_000),
        minSupports,
      });
    const none = await open(3);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/至少 3 户支持/);
    expect(await t.database.db.selectFrom('fund_rounds').select('id').execute()).toEqual([]);
    const round = await open(2);
    expect(round.statusCode).toBe(201);
    expect(round.json()).toMatchObject({ minSupports: 2 });
    expect(round.json().proposals).toEqual([
      expect.objectContaining({ proposalId: benches, supports: 2, status: 'in_round' }),
    ]);
    // In a round, support is over: the ballot decides.
    const late = await supportAs(w.users.residentC.token, lights);
    expect(late.statusCode).toBe(404);
    const after = await supportAs(w.users.residentA.token, benches);
    expect(after.statusCode).toBe(409);
    expect(after.json().error.message).toMatch(/进入投票/);
    // The proposal without enough support stays open for the next round and can still gain support.
    expect((await supportAs(w.users.residentA.token, lights)).statusCode).toBe(201);
  });
});
