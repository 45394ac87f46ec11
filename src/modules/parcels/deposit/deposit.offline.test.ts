/**
 * An offline locker is refused at deposit (issue 12): the courier gets a 409 that names
 * the other cabinets at the same door that are online and the community's hall, like a
 * full one — not "compartment opened" for a door that cannot move. Nothing is reserved.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { demoLayout } from '../../../demo/lockers.ts';
import { updateLocker, createLocker } from '../../lockers/index.ts';

const DOWN = 'off-0001';
const UP = 'off-0002';

describeEachDialect('deposit at an offline locker', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    for (const id of [DOWN, UP]) {
      await createLocker(t.deps, null, w.siteA, {
        id,
        name: `${id}柜`,
        compartments: demoLayout(8),
      });
      await updateLocker(t.database.db, id, { status: 'active' });
    }
  });
  afterAll(async () => t?.close());
  const depositAt = (lockerId: string, waybill: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/lockers/${lockerId}/deposits`,
      headers: auth(w, 'courier'),
      payload: { waybill, recipientPhone: '13800000001', size: 'S' },
    });
  const parcelsAt = async (lockerId: string) =>
    (
      await t.database.db
        .selectFrom('parcels')
        .select('id')
        .where('locker_id', '=', lockerId)
        .execute()
    ).length;

  it('is a 409 naming the online cabinet at the same door and the hall; nothing is reserved', async () => {
    await updateLocker(t.database.db, DOWN, { presence: 'offline' });
    await updateLocker(t.database.db, UP, { presence: 'online' });
    const r = await depositAt(DOWN, 'OFFLINE-0001');
    expect(r.statusCode).toBe(409);
    const msg = r.json().error.message as string;
    expect(msg).toMatch(/柜子离线/);
    expect(msg).toContain('2号柜');
    expect(msg).toContain('清淳家园蚁巢服务馆（清淳家园东门）');
    expect(msg).toMatch(/is offline/);
    expect(await parcelsAt(DOWN)).toBe(0);
    const free = await t.database.db
      .selectFrom('compartments')
      .select('use')
      .where('locker_id', '=', DOWN)
      .where('use', '!=', 'free')
      .execute();
    expect(free).toEqual([]);
  });

  it('names only the hall when the other cabinet is offline too, and takes deposits again once the locker is back', async () => {
    await updateLocker(t.database.db, UP, { presence: 'offline' });
    const r = await depositAt(DOWN, 'OFFLINE-0002');
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).not.toContain('2号柜');
    expect(r.json().error.message).toContain('服务馆');
    await updateLocker(t.database.db, DOWN, { presence: 'online' });
    expect((await depositAt(DOWN, 'OFFLINE-0003')).statusCode).toBe(201);
  });
});
