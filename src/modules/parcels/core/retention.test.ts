import { afterEach, beforeEach, expect, it } from 'vitest';
import { type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { iso, newId } from '../../../platform/clock.ts';
import type { Phone } from '../../../platform/crypto/phone.ts';
import { createLocker } from '../../lockers/index.ts';
import { type ParcelEventType, recordParcelEvent } from './parcel.events.ts';
import type { ParcelRow } from './parcel.repository.ts';
import type { ParcelStatus } from './parcel.table.ts';
import * as parcels from './parcel.repository.ts';
import * as eventRepo from './parcel-event.repository.ts';
import * as recipientRepo from './recipient.repository.ts';
import { savePolicy } from '../overdue/overdue.policy.ts';
import { sweepRetention } from './retention.service.ts';

const DAY = 86_400_000;
const PHONE = '13800000009' as Phone;

/** The history step that leaves a parcel in each status. */
const STEP_OF: Record<ParcelStatus, ParcelEventType> = {
  reserved: 'reserved',
  stored: 'stored',
  picked_up: 'picked_up',
  cancelled: 'reservation_cancelled',
  at_hall: 'moved_to_hall',
  returned: 'returned',
  lost: 'lost',
};

describeEachDialect('retention of parcel personal data', (dialect) => {
  let t: TestApp;
  let w: World;

  beforeEach(async () => {
    ({ t, w } = await openWorld(dialect));
    await createLocker(t.deps, null, w.siteA, {
      id: 'ret-0001',
      name: '1号柜',
      compartments: [1, 2, 3].map((number) => ({
        number,
        size: 'M' as const,
        kind: 'normal' as const,
      })),
    });
  });
  afterEach(async () => t.close());

  /** A parcel that reached `status` `daysAgo` days ago. */
  async function finished(
    compartment: number,
    status: ParcelStatus,
    daysAgo: number,
  ): Promise<ParcelRow> {
    const at = iso(t.clock.now() - daysAgo * DAY);
    const row: ParcelRow = {
      id: newId(t.clock, t.deps.random),
      community_id: w.community1,
      locker_id: 'ret-0001',
      compartment,
      kind: 'delivery',
      size: 'M',
      status,
      carrier_id: w.carrier,
      depositor_id: w.users.courier.id,
      waybill: 'ZT123456789',
      recipient_phone_hash: t.deps.vault.hash(PHONE),
      recipient_phone_cipher: t.deps.vault.encrypt(PHONE),
      recipient_phone_tail: PHONE.slice(7),
      recipient_user_id: null,
      code_hash: 'h',
      code_cipher: 'c',
      code_verifier: '{}',
      code_expires_at: null,
      reserved_until: null,
      stored_at: at,
      free_until: at,
      picked_up_at: status === 'picked_up' ? at : null,
      pickup_command_id: null,
      deidentified_at: null,
      together_with: null,
      note: null,
      created_at: at,
      updated_at: at,
    };
    await parcels.insertParcel(t.deps.db, row);
    await recordParcelEvent(t.deps.db, t.deps, row, {
      type: STEP_OF[status],
      actorId: null,
      source: 'system',
    });
    return row;
  }

  const byPhone = async () =>
    (
      await recipientRepo.parcelsOfRecipient(
        t.deps.db,
        newId(t.clock, t.deps.random),
        t.deps.vault.hash(PHONE),
        { live: false, limit: 50 },
      )
    ).map((p) => p.id);

  it('blanks personal data of parcels finished longer ago than the retention period', async () => {
    const old = await finished(1, 'picked_up', 31);
    const recent = await finished(2, 'picked_up', 10);
    const cancelled = await finished(3, 'cancelled', 40);
    expect(await byPhone()).toEqual(expect.arrayContaining([old.id, recent.id]));

    expect(await sweepRetention(t.deps)).toBe(2);
    const blanked = (await parcels.findParcel(t.deps.db, old.id))!;
    expect(blanked).toMatchObject({
      recipient_phone_hash: null,
      recipient_phone_cipher: null,
      code_hash: null,
      code_cipher: null,
      code_verifier: null,
      waybill: null,
      deidentified_at: iso(t.clock.now()),
    });
    expect((await parcels.findParcel(t.deps.db, cancelled.id))!.deidentified_at).not.toBeNull();
    expect((await parcels.findParcel(t.deps.db, recent.id))!.recipient_phone_hash).not.toBeNull();
    // The old parcel can no longer be found by its recipient's phone; its history stays.
    expect(await byPhone()).toEqual([recent.id]);
    expect(await eventRepo.parcelEvents(t.deps.db, old.id)).toHaveLength(1);
    expect(await sweepRetention(t.deps)).toBe(0);
  });

  it('blanks a parcel staff recorded lost like any finished one', async () => {
    const lost = await finished(1, 'lost', 31);
    expect(await sweepRetention(t.deps)).toBe(1);
    expect(await parcels.findParcel(t.deps.db, lost.id)).toMatchObject({
      status: 'lost',
      recipient_phone_hash: null,
      code_hash: null,
      deidentified_at: iso(t.clock.now()),
    });
  });

  it("follows the community's retention period and leaves live parcels alone", async () => {
    const recent = await finished(1, 'picked_up', 10);
    const live = await finished(2, 'stored', 60);
    await savePolicy(t.deps, w.community1, {
      freeHours: 48,
      reminderHoursBefore: 6,
      action: 'move_to_hall',
      feePerDayFen: 0,
      feeCapFen: 0,
      retentionDays: 7,
    });
    expect(await sweepRetention(t.deps)).toBe(1);
    expect((await parcels.findParcel(t.deps.db, recent.id))!.deidentified_at).not.toBeNull();
    expect((await parcels.findParcel(t.deps.db, live.id))!.recipient_phone_hash).not.toBeNull();
  });
});
