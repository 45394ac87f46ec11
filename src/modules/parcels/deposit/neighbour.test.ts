/** Neighbour deposit (寄存): only in the resident's own community; the code goes to the neighbour. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { deposit } from './deposit.service.ts';
import { depositForNeighbour } from './neighbour.service.ts';
import * as parcels from '../core/parcel.repository.ts';
import * as recipientRepo from '../core/recipient.repository.ts';
import { storeParcel } from './store.service.ts';
import type { AppError } from '../../../platform/errors.ts';

const L = 'nbr-0001';

describeEachDialect('neighbour deposit', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await activeLocker(t, w, L, '寄存柜', 24);
  });
  afterAll(async () => t?.close());

  it('a resident deposits for a neighbour: no carrier, they are the depositor, and the SMS tells the neighbour', async () => {
    const { parcel, command } = await depositForNeighbour(
      t.deps,
      { userId: w.users.residentA.id, communities: [w.community1] },
      {
        lockerId: L,
        recipientPhone: '138 0000 0002',
        size: 'M',
        note: '  钥匙在【蓝色】袋子里\n谢谢 ',
      },
    );
    expect(parcel).toMatchObject({
      kind: 'neighbour',
      status: 'reserved',
      carrier_id: null,
      depositor_id: w.users.residentA.id,
      waybill: null,
      recipient_user_id: w.users.residentB.id,
    });
    expect(JSON.parse(command.body)).toMatchObject({
      type: 'open',
      reason: 'deposit',
      parcelId: parcel.id,
    });
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    const sms = await t.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('parcel_id', '=', parcel.id)
      .where('channel', '=', 'sms')
      .execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toMatch(/^【蚁巢】您的邻居给您寄存了物品，已存入.*号格口，取件码 \d{8}/);
    expect(t.deps.vault.decrypt(sms[0]!.phone_cipher!)).toBe('13800000002');
    // The note rides along on one line, without brackets that could fake a sender tag.
    expect(sms[0]!.body).toContain('留言：钥匙在 蓝色 袋子里 谢谢。');
    expect(sms[0]!.body.match(/【/g)).toHaveLength(1);
  });

  it("hides lockers outside the resident's communities, and keeps residents and couriers to their own kinds", async () => {
    await expect(
      depositForNeighbour(
        t.deps,
        { userId: w.users.residentC.id, communities: [w.community2] },
        { lockerId: L, recipientPhone: '13800000001', size: 'S' },
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      depositForNeighbour(
        t.deps,
        { userId: w.users.residentA.id, communities: [w.community1] },
        { lockerId: 'nbr-none', recipientPhone: '13800000001', size: 'S' },
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      deposit(
        t.deps,
        { userId: w.users.courier.id, carrierId: w.carrier },
        { lockerId: L, recipientPhone: '13800000001', size: 'S', kind: 'neighbour' },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      deposit(
        t.deps,
        { userId: w.users.residentA.id, carrierId: null },
        {
          lockerId: L,
          waybill: 'ZTO1234',
          recipientPhone: '13800000001',
          size: 'S',
          kind: 'delivery',
        },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(
      await recipientRepo.parcelsOfDepositor(
        t.database.db,
        w.users.residentC.id,
        '1970-01-01T00:00:00.000Z',
        10,
      ),
    ).toEqual([]);
  });

  it('finding 7: 25 neighbour deposits in a row at one locker stop at 3 live compartments, and at 5 an hour across lockers (issue 13)', async () => {
    const resident = { userId: w.users.residentB.id, communities: [w.community1] };
    const results: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await depositForNeighbour(t.deps, resident, {
        lockerId: L,
        recipientPhone: `1365555${String(i).padStart(4, '0')}`,
        size: 'S',
      }).then(
        () => 'ok',
        (e: AppError) => e.code,
      );
      results.push(r);
    }
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(new Set(results.slice(3))).toEqual(new Set(['conflict']));
    const mine = (
      await recipientRepo.parcelsOfDepositor(
        t.database.db,
        resident.userId,
        '1970-01-01T00:00:00.000Z',
        100,
      )
    ).filter((p) => p.status === 'reserved');
    expect(mine).toHaveLength(3);
    // Across lockers the hourly limit stops the sixth.
    await activeLocker(t, w, 'nbr-0002', '寄存柜二', 24);
    await activeLocker(t, w, 'nbr-0003', '寄存柜三', 24);
    const across = [];
    for (const lockerId of ['nbr-0002', 'nbr-0002', 'nbr-0002', 'nbr-0003']) {
      across.push(
        await depositForNeighbour(t.deps, resident, {
          lockerId,
          recipientPhone: '13655559999',
          size: 'S',
        }).then(
          () => 'ok',
          (e: AppError) => `${e.code}:${e.retryAfter ?? ''}`,
        ),
      );
    }
    expect(across.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(across[2]).toMatch(/^rate_limited:\d+$/);
    expect(across[3]).toMatch(/^rate_limited:\d+$/);
    await t.database.db.deleteFrom('rate_counters').execute();
  });

  it('finding 7: six parallel neighbour deposits by one resident at one locker leave at most 3 reserved', async () => {
    await activeLocker(t, w, 'nbr-0004', '寄存柜四', 24);
    const resident = { userId: w.users.residentC.id, communities: [w.community1] };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        depositForNeighbour(t.deps, resident, {
          lockerId: 'nbr-0004',
          recipientPhone: `1366666000${i}`,
          size: 'S',
        }).then(
          () => 'ok',
          (e: AppError) => e.code,
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    const live = await parcels.liveResidentDepositsAt(t.database.db, 'nbr-0004', resident.userId);
    expect(live).toBe(3);
    await t.database.db.deleteFrom('rate_counters').execute();
  });
});
