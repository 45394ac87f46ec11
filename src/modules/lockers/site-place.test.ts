/**
 * The directory's copy of place names (ADR 0038): a registered cabinet copies its site's
 * names, and the migration's backfill writes the same rows for cabinets registered before it.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { down, up } from '../../db/migrations/2026-12-05T1951_site_places_and_uv_prune.ts';
import { createLocker } from './locker.service.ts';

describeEachDialect('the lockers directory’s copy of place names', (dialect) => {
  const { t, w } = useWorld(dialect);
  const rows = () =>
    t.database.db.selectFrom('locker_site_places').selectAll().orderBy('site_id').execute();

  it('is written when a cabinet is registered, and the backfill writes the same rows', async () => {
    for (const [id, site] of [
      ['copy-a1', w.siteA],
      ['copy-a2', w.siteA],
      ['copy-b1', w.siteB],
    ] as const)
      await createLocker(t.deps, null, site, { id, name: '柜', compartments: demoLayout(8) });
    const live = await rows();
    expect(live).toHaveLength(2);
    expect(live.find((r) => r.site_id === w.siteA)).toMatchObject({
      community_id: w.community1,
      compound_id: w.compound1,
      building_id: w.buildingA,
      unit_id: w.unitA,
      community_name: '清水河社区',
      compound_name: '清淳家园',
      building_name: '1栋',
      unit_name: '1单元',
      site_name: '1栋1单元门口',
    });
    await down(t.database.db);
    await up(t.database.db);
    expect(await rows()).toEqual(live);
  });
});
