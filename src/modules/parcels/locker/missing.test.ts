/**
 * Staff record where a missing parcel went (ADR 0041): a compartment shut empty while its
 * parcel is stored and nobody asked for it raises `parcel_missing`; the worker who checked
 * answers found, handed over or lost, for every parcel stored there, and the alert resolves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, openedOutcome, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { oneCompartmentLocker } from '../../../../test/one-compartment-locker.ts';
import { iso } from '../../../platform/clock.ts';
import { raiseAlert } from '../../lockers/index.ts';
import * as eventRepo from '../core/parcel-event.repository.ts';
import * as parcels from '../core/parcel.repository.ts';
import { deposit } from '../deposit/deposit.service.ts';
import { sendDueNotifications } from '../notices/sms-outbox.service.ts';

describeEachDialect('where a missing parcel went', (dialect) => {
  let t: TestApp;
  let w: World;
  let n = 0;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
  });
  afterAll(async () => t?.close());

  /** A parcel stored in a one-compartment locker, then the door opened unasked and shut on nothing. */
  async function missingParcel() {
    const { L, fact } = await oneCompartmentLocker(
      t,
      w,
      `miss-${dialect}-${String(++n).padStart(3, '0')}`,
      `丢件柜${n}`,
    );
    const { parcel } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      {
        lockerId: L,
        waybill: `ZTOMISS${n}`,
        recipientPhone: '13800000001',
        size: 'S',
        kind: 'delivery',
      },
    );
    await fact('open_outcome', await openedOutcome(t.database.db, L, 1));
    await fact('door_closed', { compartment: 1, occupied: true });
    await fact('door_opened', { compartment: 1, cause: 'uncommanded' });
    await fact('door_closed', { compartment: 1, occupied: false });
    const alerts = await t.database.db
      .selectFrom('locker_alerts')
      .selectAll()
      .where('locker_id', '=', L)
      .execute();
    const missing = alerts.find((a) => a.kind === 'parcel_missing')!;
    expect(missing.status).toBe('open');
    expect((await parcels.findParcel(t.database.db, parcel.id))!.status).toBe('stored');
    await sendDueNotifications(t.deps, t.app.log); // the stored notice with the code
    return {
      L,
      parcel,
      alertId: missing.id,
    };
  }

  const record = (
    alertId: string,
    payload: object,
    who: Parameters<typeof auth>[1] = 'communityWorker1',
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/missing-parcels`,
      headers: auth(w, who),
      payload,
    });
  const alertStatus = async (id: string) =>
    (
      await t.database.db
        .selectFrom('locker_alerts')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;
  const compartmentUse = async (L: string) =>
    (
      await t.database.db
        .selectFrom('compartments')
        .select('use')
        .where('locker_id', '=', L)
        .executeTakeFirstOrThrow()
    ).use;
  const syncRevision = async (L: string) =>
    Number(
      (
        await t.database.db
          .selectFrom('lockers')
          .select('sync_revision')
          .where('id', '=', L)
          .executeTakeFirstOrThrow()
      ).sync_revision,
    );

  it('lost: the parcel is lost for good, the compartment is free, the recipient is told, the code is withdrawn', async () => {
    const { L, parcel, alertId } = await missingParcel();
    const revision = await syncRevision(L);
    const smsBefore = t.sms.sent.length;
    const r = await record(alertId, {
      outcome: 'lost',
      note: '柜内与服务站均未找到，快递员电话13912345678已联系',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      alertId,
      outcome: 'lost',
      parcels: [{ id: parcel.id, status: 'lost' }],
    });
    expect((await parcels.findParcel(t.database.db, parcel.id))!).toMatchObject({
      status: 'lost',
      picked_up_at: null,
    });
    expect(await alertStatus(alertId)).toBe('resolved');
    expect(await compartmentUse(L)).toBe('free');
    // The locker is told the code is spent (a new sync revision), so it stops opening offline.
    expect(await syncRevision(L)).toBeGreaterThan(revision);
    const lost = (await eventRepo.parcelEvents(t.database.db, parcel.id)).find(
      (e) => e.type === 'lost',
    )!;
    expect(lost).toMatchObject({ actor_id: w.users.communityWorker1.id, source: 'api' });
    // The note is kept for the audit trail with its phone number masked (no personal data in history).
    expect(JSON.parse(lost.detail)).toEqual({
      alertId,
      note: '柜内与服务站均未找到，快递员电话***********已联系',
    });
    expect(await sendDueNotifications(t.deps, t.app.log)).toBe(1);
    const sms = t.sms.sent.slice(smsBefore);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toMatch(/未能在快递柜中找到.*登记为丢失/);
  });

  it('handed over: the parcel is picked up by the worker who gave it out, and the compartment is free', async () => {
    const { L, parcel, alertId } = await missingParcel();
    const smsBefore = t.sms.sent.length;
    const r = await record(alertId, { outcome: 'handed_over', note: '在服务站前台当面交给收件人' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().parcels).toEqual([{ id: parcel.id, status: 'picked_up' }]);
    const p = (await parcels.findParcel(t.database.db, parcel.id))!;
    expect(p.status).toBe('picked_up');
    expect(p.picked_up_at).toBe(iso(t.clock.now()));
    const picked = (await eventRepo.parcelEvents(t.database.db, parcel.id)).find(
      (e) => e.type === 'picked_up',
    )!;
    expect(picked).toMatchObject({ actor_id: w.users.communityWorker1.id, source: 'api' });
    expect(JSON.parse(picked.detail)).toMatchObject({ handedOverByStaff: true });
    expect(await alertStatus(alertId)).toBe('resolved');
    expect(await compartmentUse(L)).toBe('free');
    expect(await sendDueNotifications(t.deps, t.app.log)).toBe(0);
    expect(t.sms.sent.length, 'the recipient has it in hand: no SMS').toBe(smsBefore);
  });

  it('found: the parcel stays stored in its compartment and the alert resolves', async () => {
    const { L, parcel, alertId } = await missingParcel();
    const r = await record(alertId, { outcome: 'found', note: '包裹卡在格口后部，传感器未检测到' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().parcels).toEqual([{ id: parcel.id, status: 'stored' }]);
    expect((await parcels.findParcel(t.database.db, parcel.id))!.status).toBe('stored');
    expect(await compartmentUse(L)).toBe('occupied');
    expect(await alertStatus(alertId)).toBe('resolved');
    expect((await eventRepo.parcelEvents(t.database.db, parcel.id)).map((e) => e.type)).toContain(
      'missing_found',
    );
  });

  it('refuses bad input, other alerts, other communities and other roles, and changes nothing', async () => {
    const { L, parcel, alertId } = await missingParcel();
    // An alert of another kind on the same locker: not this action's to resolve.
    await raiseAlert(t.database.db, t.deps, {
      communityId: w.community1,
      lockerId: L,
      compartment: 1,
      kind: 'door_jammed',
      message: 'jammed',
    });
    const other = await t.database.db
      .selectFrom('locker_alerts')
      .select('id')
      .where('locker_id', '=', L)
      .where('kind', '=', 'door_jammed')
      .executeTakeFirstOrThrow();
    const cases: [number, RegExp, () => ReturnType<typeof record>][] = [
      [400, /outcome/, () => record(alertId, { outcome: 'gone', note: '不见了' })],
      [400, /note/, () => record(alertId, { outcome: 'lost' })],
      [400, /note/, () => record(alertId, { outcome: 'lost', note: '   ' })],
      [
        404,
        /alert/i,
        () => record('00000000-0000-7000-8000-000000000000', { outcome: 'lost', note: '不见了' }),
      ],
      // Another community's worker is told there is no such alert (its existence is not theirs to learn).
      [
        404,
        /not found/,
        () => record(alertId, { outcome: 'lost', note: '不见了' }, 'communityWorker2'),
      ],
      [403, /./, () => record(alertId, { outcome: 'lost', note: '不见了' }, 'residentA')],
      [403, /./, () => record(alertId, { outcome: 'lost', note: '不见了' }, 'courier')],
      [409, /not parcel_missing/, () => record(other.id, { outcome: 'lost', note: '不见了' })],
    ];
    for (const [status, message, call] of cases) {
      const r = await call();
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().error.message).toMatch(message);
    }
    // Nor may it be resolved bare: that would leave the parcel stored with nothing recorded.
    const bare = await t.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/resolve`,
      headers: auth(w, 'communityWorker1'),
    });
    expect(bare.statusCode).toBe(409);
    expect(bare.json().error.message).toMatch(/missing-parcels/);
    expect((await parcels.findParcel(t.database.db, parcel.id))!.status).toBe('stored');
    expect(await alertStatus(alertId)).toBe('open');
    expect(await compartmentUse(L)).toBe('occupied');
    // Once recorded, a second answer is refused: the alert is resolved.
    expect((await record(alertId, { outcome: 'found', note: '在柜里' })).statusCode).toBe(200);
    const again = await record(alertId, { outcome: 'lost', note: '不见了' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already resolved/);
    expect((await parcels.findParcel(t.database.db, parcel.id))!.status).toBe('stored');
  });
});
