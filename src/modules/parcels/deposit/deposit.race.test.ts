/**
 * Couriers racing for the last compartment through the HTTP API (a real pool of
 * connections on PostgreSQL): exactly one wins, every other gets a 409 that names the
 * site's other locker and the hall, and nothing half-done is left behind.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { updateLocker, createLocker } from '../../lockers/index.ts';

const LAST = 'race-0001';
const NEXT = 'race-0002';

describeEachDialect('deposit race for the last compartment', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await createLocker(t.deps, null, w.siteA, {
      id: LAST,
      name: '最后一格柜',
      compartments: [{ number: 1, size: 'M', kind: 'normal' }],
    });
    await createLocker(t.deps, null, w.siteA, {
      id: NEXT,
      name: '隔壁柜',
      compartments: [{ number: 1, size: 'L', kind: 'normal' }],
    });
    for (const id of [LAST, NEXT]) await updateLocker(t.database.db, id, { status: 'active' });
  });
  afterAll(async () => t?.close());

  it('lets exactly one of twelve concurrent deposits win and offers the others somewhere else', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/lockers/${LAST}/deposits`,
          headers: auth(w, 'courier'),
          payload: { waybill: `ZTO-RACE-${i}`, recipientPhone: '13800000001', size: 'S' },
        }),
      ),
    );
    const won = replies.filter((r) => r.statusCode === 201);
    const lost = replies.filter((r) => r.statusCode === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(11);
    for (const r of lost) {
      // The cabinet next to it by the number on it, and the hall — places, not machine ids.
      expect(r.json().error.message).toMatch(
        /No free compartment of size S or larger.*2号柜.*清淳家园蚁巢服务馆.*service hall/s,
      );
      expect(r.json().error.message).not.toContain(NEXT);
    }
    const rows = await t.database.db
      .selectFrom('parcels')
      .select(['id', 'status'])
      .where('locker_id', '=', LAST)
      .execute();
    expect(rows).toEqual([{ id: won[0]!.json().parcelId, status: 'reserved' }]);
    const cmds = await t.database.db
      .selectFrom('locker_commands')
      .select('id')
      .where('locker_id', '=', LAST)
      .execute();
    expect(cmds).toHaveLength(1);
    const c = await t.database.db
      .selectFrom('compartments')
      .select('use')
      .where('locker_id', '=', LAST)
      .executeTakeFirstOrThrow();
    expect(c.use).toBe('reserved');
  });
});
