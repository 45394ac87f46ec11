/**
 * A deposit's new code is drawn without looking first: the reservation's insert lets the
 * unique index on live codes (parcels_live_code_unique) say whether a live parcel at the
 * locker has it already, and draws again then. Anything else the insert meets is still
 * refused, not swallowed.
 */
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { activeLocker, auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { updateLocker } from '../../lockers/index.ts';
import { CODE_DIGITS, openCode } from '../core/pickup-code.ts';
import { findParcel } from '../core/parcel.repository.ts';
import { insertReservation } from './carried-code.service.ts';

const LOCKER = 'code-draw-01';

describeEachDialect('a deposit draws its code again when a live parcel has it', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await activeLocker(t, w, LOCKER, '抽码柜', 6);
    // Contract v2 with a known secret: the open carries the code, so the deposit makes it.
    await updateLocker(t.database.db, LOCKER, {
      contract_version: 'v2',
      secret_hash: 'a5'.repeat(32),
    });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => t?.close());

  /** Codes come from this list, in order; any other random integer is drawn as usual. */
  const drawing = (codes: number[]) => {
    const int = t.deps.random.int.bind(t.deps.random);
    vi.spyOn(t.deps.random, 'int').mockImplementation((max) =>
      max === 10 ** CODE_DIGITS && codes.length ? codes.shift()! : int(max),
    );
  };
  const deposit = (waybill: string, recipientPhone = '13800000001', together = false) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/lockers/${LOCKER}/deposits`,
      headers: auth(w, 'courier'),
      payload: { waybill, recipientPhone, size: 'S', ...(together ? { together } : {}) },
    });
  const codeOf = async (id: string) =>
    openCode(t.deps.config.secrets.phoneKey, (await findParcel(t.database.db, id))!.code_cipher!);

  it('gives the second deposit a new code when its first draw is the first parcel’s', async () => {
    drawing([11_111_111, 11_111_111, 22_222_222]);
    const first = await deposit('ZTO-DRAW-1');
    const second = await deposit('ZTO-DRAW-2');
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(await codeOf(first.json().parcelId)).toBe('11111111');
    expect(await codeOf(second.json().parcelId)).toBe('22222222');
    // The open that went to the locker carries the parcel as stored, with the code drawn again.
    const cmd = await t.database.db
      .selectFrom('locker_commands')
      .select('body')
      .where('id', '=', second.json().commandId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(cmd.body).code.parcelId).toBe(second.json().parcelId);
  });

  it('looks up a new code for a joiner, which the unique index does not cover', async () => {
    // A lead without a code (stored before its locker spoke v2): its joiner makes the group's code.
    drawing([44_444_444]);
    const lead = await deposit('ZTO-DRAW-3', '13800000002');
    expect(lead.statusCode).toBe(201);
    await t.database.db
      .updateTable('parcels')
      .set({ code_hash: null, code_cipher: null })
      .where('id', '=', lead.json().parcelId)
      .execute();
    drawing([11_111_111, 55_555_555]); // the first is the first test's live parcel's code
    const joiner = await deposit('ZTO-DRAW-4', '13800000002', true);
    expect(joiner.statusCode).toBe(201);
    const row = await findParcel(t.database.db, joiner.json().parcelId);
    expect(row!.together_with).toBe(lead.json().parcelId);
    expect(await codeOf(joiner.json().parcelId)).toBe('55555555');
  });

  it('still refuses a reservation whose compartment a live parcel holds', async () => {
    const live = await t.database.db
      .selectFrom('parcels')
      .selectAll()
      .where('locker_id', '=', LOCKER)
      .where('status', '=', 'reserved')
      .where('together_with', 'is', null)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const rows = async () =>
      (await t.database.db.selectFrom('parcels').select('id').execute()).length;
    const before = await rows();
    await expect(
      insertReservation(t.database.db, t.deps, {
        ...live,
        id: `${live.id.slice(0, -4)}ffff`,
        code_hash: 'another-code-hash',
      }),
    ).rejects.toMatchObject({
      code: dialect === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(await rows()).toBe(before);
  });
});
