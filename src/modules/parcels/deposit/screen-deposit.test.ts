/**
 * The cloud's half of deposits at the locker screen (ADR 0018): the sign-in token is
 * bound to one courier, one carrier grant, one locker and ten minutes; a redelivered
 * request deposits once; a full locker, a wrong token or a withdrawn grant is refused
 * with an outcome the screen can show, and nothing is reserved.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activeLocker, auth, type World } from '../../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { openWorld } from '../../../../test/world.ts';
import { type DepositRequestedSignal, screenQrText } from '../../../contract/index.ts';
import { iso } from '../../../platform/clock.ts';
import { deleteGrant, findGrantByScope, insertGrant } from '../../identity/index.ts';
import { findLocker } from '../../lockers/index.ts';
import { screenKeyFor } from '../pickup/screen-key.ts';
import { depositFromScreen, SCREEN_SESSION_SECONDS } from './screen-deposit.service.ts';

const L = 'scr-0001';
const L2 = 'scr-0002';

describeEachDialect('deposits at the locker screen (cloud side)', (dialect) => {
  let t: TestApp;
  let w: World;
  let n = 0;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    for (const id of [L, L2]) {
      await activeLocker(t, w, id, `屏幕柜${id}`, 8);
    }
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/delivery-preferences',
      headers: auth(w, 'residentA'),
      payload: { defaultMode: 'locker' },
    });
    expect(put.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const qrNow = (lockerId: string) =>
    screenQrText(
      Buffer.from(screenKeyFor(t.deps.config, lockerId), 'base64url'),
      lockerId,
      t.clock.now(),
    );
  /** Sign the demo courier in at a locker; returns the session token the locker was sent. */
  async function signIn(lockerId: string): Promise<string> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courier/screen-sessions',
      headers: auth(w, 'courier'),
      payload: { qr: qrNow(lockerId) },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().expiresAt).toBe(
      iso(Math.floor(t.clock.now() / 1000) * 1000 + SCREEN_SESSION_SECONDS * 1000),
    );
    const cmd = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('locker_id', '=', lockerId)
      .where('type', '=', 'courier_session')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const body = JSON.parse(cmd.body) as { session: string; courier: string };
    expect(body.courier).toBe(r.json().courier);
    expect(body.courier).not.toContain(w.users.courier.id);
    return body.session;
  }
  const request = (
    session: string,
    over: Partial<DepositRequestedSignal> = {},
  ): DepositRequestedSignal => ({
    messageId: `msg-${t.clock.now()}-${++n}`,
    lockerId: L,
    sentAt: iso(t.clock.now()),
    expiresAt: iso(t.clock.now() + 60_000),
    type: 'deposit_requested',
    requestId: `req-screen-${String(n).padStart(4, '0')}`,
    session,
    waybill: `ZTO9${String(n).padStart(5, '0')}`,
    recipientPhone: '13800000001',
    size: 'S',
    ...over,
  });
  const parcelsAt = async (lockerId: string) =>
    (
      await t.database.db
        .selectFrom('parcels')
        .select(['id', 'status'])
        .where('locker_id', '=', lockerId)
        .execute()
    ).length;
  const locker = async (id: string) => (await findLocker(t.database.db, id))!;

  it('deposits once per screen request, opening the compartment for that request', async () => {
    const session = await signIn(L);
    const s = request(session);
    expect(await depositFromScreen(t.deps, await locker(L), s, 'screen-cmd-0001')).toBeNull();
    const open = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('id', '=', 'screen-cmd-0001')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(open.body)).toMatchObject({
      type: 'open',
      reason: 'deposit',
      screenRequestId: s.requestId,
    });
    const before = await parcelsAt(L);
    // The same request again (redelivered, or a second node): the earlier deposit, not a second compartment.
    expect(await depositFromScreen(t.deps, await locker(L), s, 'screen-cmd-0001')).toBeNull();
    expect(await parcelsAt(L)).toBe(before);
  });

  it('refuses a forged, foreign, or stale sign-in', async () => {
    const session = await signIn(L);
    const before = await parcelsAt(L);
    const forged = session.slice(0, -3) + (session.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(
      await depositFromScreen(t.deps, await locker(L), request(forged), 'screen-cmd-0002'),
    ).toBe('session_expired');
    const other = await signIn(L2);
    expect(
      await depositFromScreen(t.deps, await locker(L), request(other), 'screen-cmd-0003'),
    ).toBe('session_expired');
    t.clock.advance((SCREEN_SESSION_SECONDS + 1) * 1000);
    expect(
      await depositFromScreen(t.deps, await locker(L), request(session), 'screen-cmd-0004'),
    ).toBe('session_expired');
    expect(await parcelsAt(L)).toBe(before);
  });

  it('ends the sign-in at once when the courier loses the carrier grant', async () => {
    const session = await signIn(L);
    const grant = (await findGrantByScope(
      t.database.db,
      w.users.courier.id,
      'courier',
      'carrier',
      w.carrier,
    ))!;
    await deleteGrant(t.database.db, grant.id);
    try {
      expect(
        await depositFromScreen(t.deps, await locker(L), request(session), 'screen-cmd-0005'),
      ).toBe('session_expired');
    } finally {
      await insertGrant(t.database.db, grant);
    }
  });

  it("follows the recipient's preference, and deposits for a phone with no account (the courier called them)", async () => {
    const session = await signIn(L);
    const before = await parcelsAt(L);
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/delivery-preferences',
      headers: auth(w, 'residentA'),
      payload: { defaultMode: 'hall' },
    });
    try {
      expect(
        await depositFromScreen(t.deps, await locker(L), request(session), 'screen-cmd-0006'),
      ).toBe('recipient_prefers_hall');
      expect(await parcelsAt(L)).toBe(before);
    } finally {
      await t.app.inject({
        method: 'PUT',
        url: '/api/v1/me/delivery-preferences',
        headers: auth(w, 'residentA'),
        payload: { defaultMode: 'locker' },
      });
    }
    expect(
      await depositFromScreen(
        t.deps,
        await locker(L),
        request(session, { recipientPhone: '13700009999' }),
        'screen-cmd-0007',
      ),
    ).toBeNull();
    expect(await parcelsAt(L)).toBe(before + 1);
  });

  it('says the locker is full rather than failing, and reserves nothing', async () => {
    const session = await signIn(L);
    let outcome: string | null = null;
    for (let i = 0; i < 20 && outcome === null; i++)
      outcome = await depositFromScreen(
        t.deps,
        await locker(L),
        request(session, { size: 'XL' }),
        `screen-cmd-1${String(i).padStart(3, '0')}`,
      );
    expect(outcome).toBe('no_free_compartment');
  });
});
