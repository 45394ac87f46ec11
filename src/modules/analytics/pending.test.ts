/**
 * Pending increments (ADR 0029, amended 2026-12-07): an event appends one row per increment,
 * naming its own area and the areas above it; reads count it in each before the fold, the fold
 * counts it in each after. Also the migration that brought the parent columns: rows written
 * before it (one per area) fold as they always did, and going down splits rows back.
 */
import { expect, it } from 'vitest';
import { activeLocker } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import * as migration from '../../db/migrations/2026-12-07T0500_analytics_pending_parents.ts';
import { allAreaCounters, areaSumByArea, areaSumByDay, foldPending } from './area.repository.ts';
import { applyIncrements } from './rollup.service.ts';
import type { Metric } from './rollup-rules.ts';

describeEachDialect('pending increments', (dialect) => {
  const { t, w } = useWorld(dialect);
  const L = 'pend-1';
  const areas = () => [`L:${L}`, `X:${w.compound1}`, `C:${w.community1}`, `S:${w.subdistrict}`];
  const window = (a: string[]) => ({ areas: a, fromDay: '2026-01-01', toDay: '2026-12-31' });
  const METRICS: Metric[] = ['parcel.deposits', 'needs.opened'];
  /** Each area's total, read one area at a time and all at once (drill-down). */
  const totals = async () => {
    const db = t.database.db;
    const one: Record<string, number> = {};
    for (const a of areas())
      one[a] = (await areaSumByDay(db, window([a]), METRICS)).reduce((s, r) => s + r.value, 0);
    const byArea = await areaSumByArea(db, window(areas()), METRICS);
    return { one, byArea: byArea.sort((a, b) => a.area.localeCompare(b.area)) };
  };
  const add = (value: number) =>
    t.database.db.transaction().execute(async (trx) => {
      await applyIncrements(trx, [
        {
          communityId: w.community1,
          lockerId: L,
          metric: 'parcel.deposits',
          hour: '2026-06-01T02',
          dim: 'sf',
          value,
        },
        // A community-wide increment about one compound: its own area is the compound.
        {
          communityId: w.community1,
          lockerId: null,
          compoundId: w.compound1,
          metric: 'needs.opened',
          hour: '2026-06-01T02',
          dim: 'repair',
          value: 1,
        },
      ]);
    });

  it('appends one row per increment and counts it in every area above it, before and after the fold', async () => {
    await activeLocker(t, w, L, '待折叠柜', 4);
    await add(1);
    await add(2);
    const pending = await t.database.db
      .selectFrom('analytics_pending')
      .selectAll()
      .orderBy('area')
      .execute();
    // Two events, two increments each, merged by nothing across events: four rows, not fourteen.
    expect(
      pending.map((r) => [r.area, r.compound_area, r.community_area, r.subdistrict_area]),
    ).toEqual([
      [`L:${L}`, `X:${w.compound1}`, `C:${w.community1}`, `S:${w.subdistrict}`],
      [`L:${L}`, `X:${w.compound1}`, `C:${w.community1}`, `S:${w.subdistrict}`],
      [`X:${w.compound1}`, null, `C:${w.community1}`, `S:${w.subdistrict}`],
      [`X:${w.compound1}`, null, `C:${w.community1}`, `S:${w.subdistrict}`],
    ]);
    const before = await totals();
    expect(before.one).toEqual({
      [`L:${L}`]: 3,
      [`X:${w.compound1}`]: 5,
      [`C:${w.community1}`]: 5,
      [`S:${w.subdistrict}`]: 5,
    });
    await t.database.db.transaction().execute((trx) => foldPending(trx));
    expect(await totals()).toEqual(before);
    const counters = await allAreaCounters(t.database.db);
    expect(counters).toContain('pending=0');
    expect(counters).toContain(`d|S:${w.subdistrict}|parcel.deposits|2026-06-01||sf=3`);
    expect(counters).toContain(`m|X:${w.compound1}|needs.opened|2026-06||repair=2`);
  });

  it('the migration: rows from before it fold as before, and going down splits rows per area', async () => {
    const db = t.database.db;
    const before = await totals();
    await add(4);
    const withNew = await totals();
    expect(withNew.one[`S:${w.subdistrict}`]).toBe(before.one[`S:${w.subdistrict}`]! + 5);
    // Down: each parent becomes a row of its own (the old format), so nothing is lost.
    await migration.down(db);
    const split = await db.selectFrom('analytics_pending').selectAll().execute();
    expect(split).toHaveLength(2 + 3 + 2);
    expect(split.every((r) => !('community_area' in r))).toBe(true);
    await migration.up(db);
    // Old-format rows (no parents) read and fold exactly as the new ones did.
    expect(await totals()).toEqual(withNew);
    await db.transaction().execute((trx) => foldPending(trx));
    expect(await totals()).toEqual(withNew);
  });
});
