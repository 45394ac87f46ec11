/** 手机尾号: every deposit records the phone's last four digits, and parcels stored before the column get theirs at start-up. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { findParcel } from './parcel.repository.ts';
import { backfillPhoneTails } from './phone-tail.service.ts';

describeEachDialect('parcel phone tails', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await activeLocker(t, w, 'tail-0001', '尾号柜');
  });
  afterAll(async () => t?.close());

  it('records the tail on deposit and fills in the tails of older parcels', async () => {
    const courier = { userId: w.users.courier.id, carrierId: w.carrier };
    const a = await deposit(t.deps, courier, {
      lockerId: 'tail-0001',
      waybill: 'TAIL-0001',
      recipientPhone: '13812345678',
      size: 'S',
      kind: 'delivery',
    });
    expect((await findParcel(t.database.db, a.parcel.id))?.recipient_phone_tail).toBe('5678');
    // A parcel from before the column: its tail is null until the start-up backfill.
    await t.database.db
      .updateTable('parcels')
      .set({ recipient_phone_tail: null })
      .where('id', '=', a.parcel.id)
      .execute();
    expect(await backfillPhoneTails(t.deps, 1)).toBe(1);
    expect((await findParcel(t.database.db, a.parcel.id))?.recipient_phone_tail).toBe('5678');
    expect(await backfillPhoneTails(t.deps)).toBe(0);
  });
});
