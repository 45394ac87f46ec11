/** The demo's history: a fresh demo's dashboards show parcels, refusals, needs and the hall. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, describeEachDialect, type TestApp } from '../../test/harness.ts';
import { allAreaCounters, foldPending } from '../modules/analytics/area.repository.ts';
import { dashboard } from '../modules/analytics/dashboard.service.ts';
import { rebuildRollups } from '../modules/analytics/rebuild.service.ts';
import { seedDemoHistory } from './history.ts';
import { seedDemoLockers } from './lockers.ts';
import { seedDemo } from './seed.ts';

describeEachDialect('demo history', (dialect) => {
  let t: TestApp;
  let subdistrictId = '';
  let written: Awaited<ReturnType<typeof seedDemoHistory>>;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    subdistrictId = (await seedDemo(t.deps))!.subdistrictId;
    const lockers = await seedDemoLockers(t.deps, null);
    const started = performance.now();
    written = await seedDemoHistory(t.deps, lockers);
    // npm start pays this before /healthz answers (.ci/smoke-start.sh allows 10 s in all).
    console.log(
      `demo history [${dialect}]: ${JSON.stringify(written)} in ${Math.round(performance.now() - started)} ms`,
    );
  }, 120_000);
  afterAll(async () => t?.close());

  it('fills the subdistrict dashboard of the last four weeks', async () => {
    expect(written.parcels).toBeGreaterThan(300);
    const view = await dashboard(t.deps.db, t.deps.clock, 'subdistricts', subdistrictId, {});
    expect(view.figures.deposits).toBeGreaterThan(300);
    expect(view.figures.overdueRate).toBeGreaterThan(0);
    const chart = (name: string) => view.charts.find((c) => c.chart === name)!;
    const carriers = chart('carriers');
    const refusals = carriers.columns.indexOf('consent_refusals');
    expect(carriers.rows.reduce((a, r) => a + Number(r[refusals]), 0)).toBeGreaterThan(0);
    // Someone deposits at 10:00 on some weekday, and the heatmap shows it.
    const heat = chart('utilisation').rows.filter((r) => r[1] === 10);
    expect(heat.some((r) => Number(r[2]) > 0)).toBe(true);
    expect(chart('places').rows.every((r) => Number(r[3]) > 0)).toBe(true);
    expect(chart('hall').rows.length).toBeGreaterThan(0);
  });

  it('counted everything once: the rollups equal a rebuild from the histories', async () => {
    const db = t.deps.db;
    await db.transaction().execute((trx) => foldPending(trx));
    const kept = { areas: await allAreaCounters(db) };
    let rebuilt: typeof kept | null = null;
    await db
      .transaction()
      .execute(async (trx) => {
        await rebuildRollups(trx);
        rebuilt = { areas: await allAreaCounters(trx) };
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(rebuilt).toEqual(kept);
  });
});
