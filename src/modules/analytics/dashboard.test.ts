/**
 * The dashboards end to end on a world: a parcel's steps and a donation land in the rollups in
 * their own transactions, the API sums them per scope, exports CSV, checks its input, and
 * refuses residents, couriers and other communities' staff.
 */
import { expect, it } from 'vitest';
import { activeLocker, auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { accounts, transfer } from '../ledger/index.ts';
import { communityMonthFigures } from './index.ts';
import { rebuildAll } from './rebuild.service.ts';
import { allAreaCounters } from './area.repository.ts';
import { foldAreas } from './fold.service.ts';
import { rollUpDeviceFact } from './rollup.hooks.ts';
import { applyIncrements } from './rollup.service.ts';
import { parcelIncrements } from './rollup-rules.ts';

describeEachDialect('analytics dashboards', (dialect) => {
  const { t, w } = useWorld(dialect);
  const get = (url: string, who: Parameters<typeof auth>[1] = 'officer') =>
    t.app.inject({ url: `/api/v1/analytics${url}`, headers: auth(w, who) });

  it('counts what happened and shows it per scope', async () => {
    await activeLocker(t, w, 'an-d1', '分析柜', 6);
    const at = (h: number) => new Date(t.clock.now() + h * 3_600_000).toISOString();
    const steps = [
      { type: 'stored', at: at(0), storedAt: null },
      { type: 'stored', at: at(1), storedAt: null },
      { type: 'picked_up', at: at(3), storedAt: at(0) },
      { type: 'overdue', at: at(50), storedAt: at(1) },
    ];
    await t.database.db.transaction().execute(async (trx) => {
      for (const s of steps)
        await applyIncrements(
          trx,
          parcelIncrements({
            ...s,
            communityId: w.community1,
            lockerId: 'an-d1',
            carrierId: w.carrier,
            kind: 'delivery',
          }),
        );
      await rollUpDeviceFact(
        trx,
        { id: 'an-d1', community_id: w.community1 },
        {
          type: 'uncommanded_open',
          sentAt: at(2),
        },
      );
      await transfer(trx, t.deps.clock, {
        transferId: 'an-donation-1',
        kind: 'donation',
        at: at(1),
        memo: '捐赠',
        communityId: w.community1,
        postings: [
          { account: accounts.cash(w.community1), amount: -1200 },
          { account: accounts.communityFund(w.community1), amount: 1200 },
        ],
      });
    });
    const day = (d: number) => new Date(t.clock.now() + d * 86_400_000).toISOString().slice(0, 10);
    const q = `?from=${day(-1)}&to=${day(3)}`;

    const sub = await get(`/subdistricts/${w.subdistrict}${q}`);
    expect(sub.statusCode).toBe(200);
    const view = sub.json();
    expect(view.figures).toMatchObject({ deposits: 2, pickups: 1, overdueRate: 0.5 });
    expect(view.figures.fundIncomeFen).toBe(1200);
    const places = view.charts.find((c: { chart: string }) => c.chart === 'places');
    expect(places.rows).toContainEqual(['communities', w.community1, expect.any(String), 2, 1]);

    const lr = await get(`/lockers/an-d1${q}`, 'communityWorker1');
    const lockerView = lr.json();
    expect(lockerView.trail.map((p: { scope: string }) => p.scope)).toEqual([
      'subdistricts',
      'communities',
      'compounds',
    ]);
    const devices = lockerView.charts.find((c: { chart: string }) => c.chart === 'devices');
    expect(devices.rows[0]).toEqual(['分析柜', 1, 0, 1, 0, 0]);

    const csv = await get(
      `/communities/${w.community1}/charts/dwell${q}&format=csv`,
      'communityWorker1',
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('bucket,parcels\r\n<1h,0\r\n1-4h,1\r\n');
    expect(csv.body).toContain('overdue_rate,0.5');

    const month = await communityMonthFigures(t.database.db, w.community1, at(0).slice(0, 7));
    expect(month.parcels).toMatchObject({ deposits: 2, pickups: 1, overdue: 1 });
    expect(month.devices.uncommandedOpens).toBe(1);
    expect(month.fund.incomeFen).toBe(1200);

    // The fund and device counters come back the same from a rebuild (the parcel steps above were
    // fed in without parcel rows, so only their counters go).
    const kept = async (metric: string) =>
      (await allAreaCounters(t.database.db)).filter((r) => r.includes(`|${metric}|`));
    await foldAreas(t.database.db);
    const fund = await kept('fund.income_fen');
    // The community's and the subdistrict's area, per day and per month.
    expect(fund).toHaveLength(4);
    await rebuildAll(t.database.db);
    expect(await kept('fund.income_fen')).toEqual(fund);
  });

  it('counts consent refusals per carrier and activity sign-ups, as residents make them', async () => {
    await activeLocker(t, w, 'an-d2', '同意柜', 4);
    const call = (who: Parameters<typeof auth>[1], url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(w, who), payload });
    // The courier asks twice; the resident declines one and accepts the other.
    const ids: string[] = [];
    for (const waybill of ['SF0000000001', 'SF0000000002']) {
      const r = await call('courier', '/couriers/consent-requests', {
        recipientPhone: '13800000001',
        lockerId: 'an-d2',
        waybill,
      });
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
    for (const [i, accept] of [false, true].entries()) {
      const r = await call('residentA', `/me/consent-requests/${ids[i]}/decision`, { accept });
      expect(r.statusCode, r.body).toBe(200);
    }
    const act = await call('communityWorker1', '/activities', {
      audience: { kind: 'community', id: w.community1 },
      title: '社区义诊',
      description: '免费测血压',
      location: '服务馆休息区',
      startsAt: new Date(t.clock.now() + 24 * 3_600_000).toISOString(),
      endsAt: new Date(t.clock.now() + 26 * 3_600_000).toISOString(),
      capacity: 5,
    });
    expect(act.statusCode, act.body).toBe(201);
    for (const who of ['residentA', 'residentA'] as const)
      expect((await call(who, `/me/activities/${act.json().id}/signup`)).statusCode).toBe(200);

    const day = new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const report = await get(
      `/communities/${w.community1}/carrier-report?from=${day}&to=${day}`,
      'communityWorker1',
    );
    expect(report.statusCode, report.body).toBe(200);
    const { columns, rows } = report.json();
    const refusals = columns.indexOf('consent_refusals');
    expect(refusals).toBeGreaterThan(0);
    expect(rows.map((r: unknown[]) => r[refusals])).toEqual([1]);
    const hall = await get(`/communities/${w.community1}/charts/hall?from=${day}&to=${day}`);
    const h = hall.json();
    // Signing up twice is one sign-up.
    expect(h.rows[0][h.columns.indexOf('signups')]).toBe(1);
  });

  it('refuses residents, couriers and other communities; checks its input', async () => {
    expect((await get(`/communities/${w.community1}`, 'residentA')).statusCode).toBe(403);
    expect((await get(`/communities/${w.community1}`, 'courier')).statusCode).toBe(403);
    expect((await get(`/communities/${w.community1}`, 'communityWorker2')).statusCode).toBe(404);
    expect((await get(`/subdistricts/${w.subdistrict}`, 'communityWorker1')).statusCode).toBe(404);
    const bad = await get(`/communities/${w.community1}?from=2026-12-01&to=2026-11-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('swap');
    expect((await get(`/communities/${w.community1}?from=2026-13-45`)).statusCode).toBe(400);
    // Days that match the pattern but do not exist (Date.parse would roll them over).
    for (const q of ['from=2026-02-30', 'to=2026-11-31', 'from=2026-12-00'])
      expect((await get(`/communities/${w.community1}/charts/dwell?${q}`)).json()).toMatchObject({
        error: { code: 'bad_request', message: expect.stringContaining('not a real day') },
      });
    expect((await get(`/planets/${w.community1}`)).statusCode).toBe(404);
    expect((await get(`/communities/${w.community1}/charts/pie`)).statusCode).toBe(400);
    expect((await get(`/communities/${w.community1}?from=2020-01-01`)).statusCode).toBe(400);
    await expect(communityMonthFigures(t.database.db, w.community1, '2026-13')).rejects.toThrow(
      /YYYY-MM/,
    );
  });
});
