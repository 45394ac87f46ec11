/**
 * The recipient's say on every deposit path (ADR 0009, delivery-rule.ts): the courier
 * app's API deposit, the locker screen's deposit and a rider's takeout each refuse a
 * recipient who wants the door, the hall or to be asked first, name the alternative,
 * reserve nothing, and go through once the recipient accepted a consent request for
 * that waybill. Each path has its own test, so a path that skips the rule fails here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  activeLocker,
  auth,
  signToken,
  type World,
  type WorldUser,
} from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { type DepositRequestedSignal, screenQrText } from '../../../contract/index.ts';
import { cryptoRandom, iso, newId } from '../../../platform/clock.ts';
import { findLocker } from '../../lockers/index.ts';
import { screenKeyFor } from '../pickup/screen-key.ts';
import { depositFromScreen } from '../deposit/screen-deposit.service.ts';

const L = 'rule-0001';
const RESIDENT_A = '13800000001';

describeEachDialect('delivery preferences on every deposit path', (dialect) => {
  let t: TestApp;
  let w: World;
  let rider: { authorization: string };
  let riderCarrier: string;
  let n = 0;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    await activeLocker(t, w, L, '规则柜', 24);
    // A takeout platform and one of its riders.
    const db = t.database.db;
    const at = iso(t.clock.now());
    riderCarrier = newId(t.clock, cryptoRandom);
    const riderId = newId(t.clock, cryptoRandom);
    await db
      .insertInto('carriers')
      .values({ id: riderCarrier, code: 'meituan', name: '美团', kind: 'takeout', created_at: at })
      .execute();
    await db
      .insertInto('users')
      .values({
        id: riderId,
        display_name: '骑手',
        phone_hash: null,
        phone_cipher: null,
        username: 'rider',
        password_hash: null,
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('role_grants')
      .values({
        id: newId(t.clock, cryptoRandom),
        user_id: riderId,
        role: 'courier',
        scope_kind: 'carrier',
        scope_id: riderCarrier,
        community_id: null,
        created_at: at,
        created_by: null,
      })
      .execute();
    rider = { authorization: `Bearer ${await signToken(t, riderId)}` };
  });
  afterAll(async () => t?.close());

  const call = (
    who: WorldUser | { authorization: string },
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: typeof who === 'string' ? auth(w, who) : who,
      ...(payload ? { payload } : {}),
    });
  const prefer = async (body: object) =>
    expect((await call('residentA', 'PUT', '/me/delivery-preferences', body)).statusCode).toBe(200);
  const reservedCount = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('parcels')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('locker_id', '=', L)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const waybill = () => `ZT${String(++n).padStart(8, '0')}`;
  const apiDeposit = (
    wb: string,
    who: WorldUser | { authorization: string } = 'courier',
    kind: 'delivery' | 'takeout' = 'delivery',
  ) =>
    call(who, 'POST', `/lockers/${L}/deposits`, {
      waybill: wb,
      recipientPhone: RESIDENT_A,
      size: 'S',
      kind,
    });
  /** The courier asks, residentA accepts: consent for this waybill at this locker. */
  async function consent(wb: string): Promise<void> {
    const ask = await call('courier', 'POST', '/couriers/consent-requests', {
      recipientPhone: RESIDENT_A,
      lockerId: L,
      waybill: wb,
    });
    expect(ask.statusCode).toBe(201);
    expect(
      (
        await call('residentA', 'POST', `/me/consent-requests/${ask.json().id}/decision`, {
          accept: true,
        })
      ).statusCode,
    ).toBe(200);
  }

  it('courier app / API: door and hall are refused naming the alternative; ask-first needs consent for that waybill', async () => {
    const before = await reservedCount();
    await prefer({ defaultMode: 'door' });
    const door = await apiDeposit(waybill());
    expect(door.statusCode).toBe(409);
    expect(door.json().error.message).toMatch(/送货上门.*deliver it in person/s);

    await prefer({ defaultMode: 'locker', perCarrier: [{ carrierId: w.carrier, mode: 'hall' }] });
    const hall = await apiDeposit(waybill());
    expect(hall.statusCode).toBe(409);
    expect(hall.json().error.message).toContain('清淳家园蚁巢服务馆（清淳家园东门）');

    await prefer({ defaultMode: 'ask_first' });
    const wb = waybill();
    const ask = await apiDeposit(wb);
    expect(ask.statusCode).toBe(409);
    expect(ask.json().error.message).toMatch(/先问一下/);
    expect(await reservedCount()).toBe(before);
    // Consent for another waybill does not cover this one.
    await consent(waybill());
    expect((await apiDeposit(wb)).statusCode).toBe(409);
    await consent(wb);
    expect((await apiDeposit(wb)).statusCode).toBe(201);
    expect(await reservedCount()).toBe(before + 1);
    await prefer({ defaultMode: 'locker' });
  });

  it('locker screen: the same refusals as outcomes the screen shows, and the deposit once consent is given', async () => {
    const qr = screenQrText(
      Buffer.from(screenKeyFor(t.deps.config, L), 'base64url'),
      L,
      t.clock.now(),
    );
    expect((await call('courier', 'POST', '/courier/screen-sessions', { qr })).statusCode).toBe(
      201,
    );
    const cmd = await t.database.db
      .selectFrom('locker_commands')
      .select('body')
      .where('locker_id', '=', L)
      .where('type', '=', 'courier_session')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const session = (JSON.parse(cmd.body) as { session: string }).session;
    const locker = (await findLocker(t.database.db, L))!;
    const request = (wb: string): DepositRequestedSignal => ({
      messageId: `msg-rule-${++n}`,
      lockerId: L,
      sentAt: iso(t.clock.now()),
      expiresAt: iso(t.clock.now() + 60_000),
      type: 'deposit_requested',
      requestId: `req-rule-${String(n).padStart(5, '0')}`,
      session,
      waybill: wb,
      recipientPhone: RESIDENT_A,
      size: 'S',
    });
    const before = await reservedCount();
    await prefer({ defaultMode: 'door' });
    expect(await depositFromScreen(t.deps, locker, request(waybill()), `rule-cmd-${n}a`)).toBe(
      'recipient_prefers_door',
    );
    await prefer({ defaultMode: 'hall' });
    expect(await depositFromScreen(t.deps, locker, request(waybill()), `rule-cmd-${n}b`)).toBe(
      'recipient_prefers_hall',
    );
    await prefer({ defaultMode: 'ask_first' });
    const wb = waybill();
    expect(await depositFromScreen(t.deps, locker, request(wb), `rule-cmd-${n}c`)).toBe(
      'consent_needed',
    );
    expect(await reservedCount()).toBe(before);
    await consent(wb);
    expect(await depositFromScreen(t.deps, locker, request(wb), `rule-cmd-${n}d`)).toBeNull();
    expect(await reservedCount()).toBe(before + 1);
    await prefer({ defaultMode: 'locker' });
  });

  it('takeout: only a preference set for that platform covers it (the express default does not), and it is enforced', async () => {
    const before = await reservedCount();
    await prefer({ defaultMode: 'door' });
    expect((await apiDeposit(waybill(), rider, 'takeout')).statusCode).toBe(201);
    await prefer({
      defaultMode: 'locker',
      perCarrier: [{ carrierId: riderCarrier, mode: 'door' }],
    });
    const refused = await apiDeposit(waybill(), rider, 'takeout');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/送货上门/);
    await prefer({
      defaultMode: 'locker',
      perCarrier: [{ carrierId: riderCarrier, mode: 'hall' }],
    });
    expect((await apiDeposit(waybill(), rider, 'takeout')).statusCode).toBe(409);
    expect(await reservedCount()).toBe(before + 1);
    await prefer({ defaultMode: 'locker' });
  });

  it('a phone with no account has nothing on record: the deposit goes through (the courier was told to call)', async () => {
    const r = await call('courier', 'POST', `/lockers/${L}/deposits`, {
      waybill: waybill(),
      recipientPhone: '13712340000',
      size: 'S',
    });
    expect(r.statusCode).toBe(201);
    expect((await recipientOf(r.json().parcelId)).recipient_user_id).toBeNull();
  });

  it('a disabled account has no say, but still owns the parcel: the deposit goes through and records it as the recipient', async () => {
    await prefer({ defaultMode: 'door' });
    const db = t.database.db;
    const id = w.users.residentA.id;
    await db.updateTable('users').set({ status: 'disabled' }).where('id', '=', id).execute();
    try {
      const r = await apiDeposit(waybill());
      expect(r.statusCode).toBe(201);
      expect((await recipientOf(r.json().parcelId)).recipient_user_id).toBe(id);
    } finally {
      await db.updateTable('users').set({ status: 'active' }).where('id', '=', id).execute();
      await prefer({ defaultMode: 'locker' });
    }
  });

  const recipientOf = (parcelId: string) =>
    t.database.db
      .selectFrom('parcels')
      .select('recipient_user_id')
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
});
