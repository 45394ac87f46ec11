/** The locker directory (couriers: every active locker; residents: their communities) and the staff parcel search (masked). */
import { beforeAll, expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { deposit } from '../parcels/index.ts';
import { updateLocker } from './locker.repository.ts';
import { createLocker } from './locker.service.ts';

describeEachDialect('locker directory and parcel search', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: 'dir-0001',
      name: '目录柜',
      compartments: demoLayout(24),
    });
    await updateLocker(t.database.db, 'dir-0001', { status: 'active' });
    await createLocker(t.deps, null, w.siteB, {
      id: 'dir-0002',
      name: '未启用柜',
      compartments: demoLayout(24),
    });
  });
  const get = (who: Parameters<typeof auth>[1], url: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(w, who) });
  const search = (who: Parameters<typeof auth>[1], communityId: string, body: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/communities/${communityId}/parcels/search`,
      headers: auth(w, who),
      payload: body,
    });

  it('lists active lockers with free compartments per size; residents see their own communities only', async () => {
    const courier = (await get('courier', '/lockers')).json() as {
      id: string;
      free: Record<string, number>;
      address: string;
    }[];
    expect(courier.map((l) => l.id)).toEqual(['dir-0001']);
    expect(courier[0]!.free.S).toBeGreaterThan(0);
    expect(courier[0]!.address.length).toBeGreaterThan(0);
    expect((await get('courier', '/lockers?q=%25_')).statusCode).toBe(200);
    expect(
      ((await get('courier', '/lockers?q=nothing-like-this')).json() as unknown[]).length,
    ).toBe(0);
    expect(
      ((await get('residentA', '/lockers')).json() as { id: string }[]).map((l) => l.id),
    ).toEqual(['dir-0001']);
    // Resident C lives in the other community: the first community's locker is not theirs to use.
    expect((await get('residentC', '/lockers')).json()).toEqual([]);
    expect((await get('hallStaff1', '/lockers')).statusCode).toBe(403);
  });

  it('finds parcels by waybill, full phone or 手机尾号 (in the body) for staff of the community, masked and without codes', async () => {
    await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: 'dir-0001',
        waybill: 'FIND-778899',
        recipientPhone: '13800000001',
        size: 'S',
        kind: 'delivery',
      },
    );
    const byWaybill = (await search('communityWorker1', w.community1, { q: '778899' })).json() as {
      waybill: string;
      recipientPhone: string;
    }[];
    expect(byWaybill).toHaveLength(1);
    expect(byWaybill[0]!.recipientPhone).toBe('138****0001');
    expect(JSON.stringify(byWaybill)).not.toMatch(/"code"/);
    expect(
      (await search('communityWorker1', w.community1, { q: '13800000001' })).json(),
    ).toHaveLength(1);
    expect((await search('communityWorker1', w.community1, { q: '0001' })).json()).toHaveLength(1);
    expect((await search('communityWorker1', w.community1, { q: '0002' })).json()).toHaveLength(0);
    expect((await search('communityWorker2', w.community1, { q: '778899' })).statusCode).toBe(404);
    expect((await search('residentA', w.community1, {})).statusCode).toBe(403);
    // The old GET took the phone in the URL (logged in clear): it is gone.
    expect(
      (await get('communityWorker1', `/communities/${w.community1}/parcels?q=13800000001`))
        .statusCode,
    ).toBe(404);
  });
});
