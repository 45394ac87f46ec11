/**
 * Old finished UV cycles are pruned by the hourly retention job; each compartment's last
 * cycle (the locker page shows it), running cycles and recent ones stay.
 */
import { expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { iso } from '../../platform/clock.ts';
import { createLocker } from './locker.service.ts';
import { pruneUvCycles, UV_CYCLE_KEEP_DAYS } from './uv-retention.service.ts';
import type { UvCycleRow } from './uv.repository.ts';

const L = 'uvr-0001';
const DAY = 86_400_000;

describeEachDialect('pruning old UV cycles', (dialect) => {
  const { t, w } = useWorld(dialect);

  it('deletes finished cycles past the keep period, but not running ones nor a compartment’s last', async () => {
    const db = t.database.db;
    await createLocker(t.deps, null, w.siteA, { id: L, name: '柜', compartments: demoLayout(8) });
    const now = t.clock.now();
    const old = iso(now - (UV_CYCLE_KEEP_DAYS + 1) * DAY);
    const recent = iso(now - (UV_CYCLE_KEEP_DAYS - 1) * DAY);
    const cycle = (
      seq: number,
      compartment: number,
      at: string,
      outcome: UvCycleRow['outcome'] = 'completed',
    ): UvCycleRow => ({
      locker_id: L,
      seq,
      community_id: w.community1,
      compartment,
      trigger: 'after_close',
      command_id: null,
      duration_seconds: 300,
      outcome,
      reason: null,
      ran_seconds: outcome === 'running' ? null : 300,
      started_at: at,
      ended_at: outcome === 'running' ? null : at,
      recorded_at: at,
    });
    await db
      .insertInto('uv_cycles')
      .values([
        cycle(1, 1, old), // old, finished: pruned
        cycle(2, 1, old, 'aborted'), // old, finished: pruned
        cycle(3, 1, recent), // within the keep period: stays
        cycle(4, 2, old, 'running'), // never ended: stays
        cycle(5, 3, old), // compartment 3's last cycle: stays
      ])
      .execute();
    await db
      .updateTable('compartments')
      .set({ last_uv_seq: 5 })
      .where('locker_id', '=', L)
      .where('number', '=', 3)
      .execute();
    await db
      .updateTable('compartments')
      .set({ last_uv_seq: 3 })
      .where('locker_id', '=', L)
      .where('number', '=', 1)
      .execute();

    expect(await pruneUvCycles(t.deps)).toBe(2);
    const left = await db
      .selectFrom('uv_cycles')
      .select('seq')
      .where('locker_id', '=', L)
      .orderBy('seq')
      .execute();
    expect(left.map((r) => Number(r.seq))).toEqual([3, 4, 5]);
    // Nothing more to do the next hour.
    expect(await pruneUvCycles(t.deps)).toBe(0);
    // The locker page still shows compartment 3's last cycle.
    const page = await t.app.inject({
      method: 'GET',
      url: `/api/v1/lockers/${L}`,
      headers: auth(w, 'communityWorker1'),
    });
    expect(page.statusCode).toBe(200);
    const shown = page.json() as { compartments: { number: number; lastCycle: unknown }[] };
    expect(shown.compartments.find((c) => c.number === 3)?.lastCycle).toMatchObject({
      outcome: 'completed',
    });
  });
});
