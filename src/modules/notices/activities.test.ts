/**
 * Activities: capacity and the waiting list under 20 concurrent sign-ups, a cancellation
 * promoting the first waiting resident exactly once (also under concurrency), sign-ups
 * only by the signed-in resident of a covered place, reminders through the SMS port, and
 * bad input answered with an actionable 4xx that writes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, seedWorld, signToken, type World, type WorldUser } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { iso, newId, cryptoRandom } from '../../platform/clock.ts';
import { sendActivityReminders } from './reminders.service.ts';

const H = 3600_000;

describeEachDialect('activities', (dialect) => {
  let t: TestApp;
  let w: World;
  /** 20 extra residents of unit A, with tokens and phones. */
  const crowd: { id: string; token: string; phone: string }[] = [];
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    const at = iso(t.clock.now());
    for (let i = 0; i < 20; i++) {
      const id = newId(t.clock, cryptoRandom);
      const phone = `1350000${String(i).padStart(4, '0')}`;
      await t.database.db
        .insertInto('users')
        .values({
          id,
          display_name: `居民${i}`,
          phone_hash: t.deps.vault.hash(phone as never),
          phone_cipher: t.deps.vault.encrypt(phone as never),
          username: null,
          password_hash: null,
          status: 'active',
          created_at: at,
          updated_at: at,
        })
        .execute();
      await t.database.db
        .insertInto('role_grants')
        .values({
          id: newId(t.clock, cryptoRandom),
          user_id: id,
          role: 'resident',
          scope_kind: 'unit',
          scope_id: w.unitA,
          community_id: w.community1,
          created_at: at,
          created_by: null,
        })
        .execute();
      crowd.push({ id, token: await signToken(t, id), phone });
    }
  });
  afterAll(async () => t?.close());

  const call = (
    who: WorldUser | string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who in w.users ? auth(w, who as WorldUser) : { authorization: `Bearer ${who}` },
      ...(payload ? { payload } : {}),
    });
  const later = (ms: number) => new Date(t.clock.now() + ms).toISOString();
  const create = async (extra: object = {}, who: WorldUser = 'communityWorker1') => {
    const r = await call(who, 'POST', '/activities', {
      audience: { kind: 'community', id: w.community1 },
      title: '社区义诊',
      description: '免费测血压',
      location: '服务馆休息区',
      startsAt: later(24 * H),
      endsAt: later(26 * H),
      capacity: 5,
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const counts = async (activityId: string) => {
    const rows = await t.database.db
      .selectFrom('activity_signups')
      .select(['status', 'seq', 'user_id'])
      .where('activity_id', '=', activityId)
      .execute();
    const a = await t.database.db
      .selectFrom('activities')
      .select('confirmed_count')
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow();
    return {
      confirmed: rows.filter((r) => r.status === 'confirmed').length,
      waiting: rows.filter((r) => r.status === 'waiting'),
      counter: Number(a.confirmed_count),
    };
  };

  it('20 concurrent sign-ups for 5 seats: exactly 5 confirmed, 15 waiting in a strict order; the counter matches the rows', async () => {
    const id = await create();
    const results = await Promise.all(
      crowd.map((c) => call(c.token, 'POST', `/me/activities/${id}/signup`)),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const bodies = results.map(
      (r) => r.json() as { status: string; waitingPosition: number | null },
    );
    expect(bodies.filter((b) => b.status === 'confirmed')).toHaveLength(5);
    const c = await counts(id);
    expect(c).toMatchObject({ confirmed: 5, counter: 5 });
    expect(c.waiting).toHaveLength(15);
    expect(new Set(c.waiting.map((x) => x.seq)).size).toBe(15);

    // Signing up twice changes nothing.
    const again = await call(crowd[0]!.token, 'POST', `/me/activities/${id}/signup`);
    expect(again.statusCode).toBe(200);
    expect(await counts(id)).toMatchObject({ confirmed: 5, counter: 5 });

    // All 5 confirmed cancel at once: the first 5 waiting are promoted, each exactly once.
    const confirmed = crowd.filter((_, i) => bodies[i]!.status === 'confirmed');
    const firstFive = c.waiting
      .sort((a, b) => a.seq - b.seq)
      .slice(0, 5)
      .map((x) => x.user_id);
    const cancels = await Promise.all(
      [...confirmed, ...confirmed].map((p) =>
        call(p.token, 'DELETE', `/me/activities/${id}/signup`),
      ),
    );
    expect(cancels.filter((r) => r.statusCode === 200)).toHaveLength(5);
    expect(cancels.filter((r) => r.statusCode === 404)).toHaveLength(5);
    const after = await counts(id);
    expect(after).toMatchObject({ confirmed: 5, counter: 5 });
    expect(after.waiting).toHaveLength(10);
    const nowConfirmed = await t.database.db
      .selectFrom('activity_signups')
      .select('user_id')
      .where('activity_id', '=', id)
      .where('status', '=', 'confirmed')
      .execute();
    expect(nowConfirmed.map((r) => r.user_id).sort()).toEqual([...firstFive].sort());
    // The promoted were told by SMS.
    const promotedPhones = crowd.filter((c2) => firstFive.includes(c2.id)).map((c2) => c2.phone);
    for (const p of promotedPhones)
      expect(t.sms.sent.some((m) => m.to === p && m.text.includes('候补成功'))).toBe(true);

    // A waiting resident sees their place; cancelling while waiting frees no seat.
    const mine = (
      await call(
        crowd.find((x) => x.id === after.waiting.sort((a, b) => a.seq - b.seq)[0]!.user_id)!.token,
        'GET',
        '/me/activity-signups',
      )
    ).json();
    expect(mine[0]).toMatchObject({ mine: { status: 'waiting', waitingPosition: 1 } });
  });

  it('with nobody waiting a cancellation frees the seat; signing up again after cancelling works', async () => {
    const id = await create({ capacity: 1 });
    expect((await call('residentA', 'POST', `/me/activities/${id}/signup`)).json()).toMatchObject({
      status: 'confirmed',
    });
    expect((await call('residentB', 'POST', `/me/activities/${id}/signup`)).json()).toMatchObject({
      status: 'waiting',
      waitingPosition: 1,
    });
    expect((await call('residentB', 'DELETE', `/me/activities/${id}/signup`)).json()).toEqual({
      promoted: false,
    });
    expect((await call('residentA', 'DELETE', `/me/activities/${id}/signup`)).json()).toEqual({
      promoted: false,
    });
    expect(await counts(id)).toMatchObject({ confirmed: 0, counter: 0 });
    expect((await call('residentB', 'POST', `/me/activities/${id}/signup`)).json()).toMatchObject({
      status: 'confirmed',
    });
  });

  it('BOLA: another community’s resident cannot see, join or cancel; staff of another community cannot list sign-ups', async () => {
    const id = await create();
    expect((await call('residentA', 'POST', `/me/activities/${id}/signup`)).statusCode).toBe(200);
    const ids = ((await call('residentC', 'GET', '/me/activities')).json() as { id: string }[]).map(
      (a) => a.id,
    );
    expect(ids).not.toContain(id);
    const join = await call('residentC', 'POST', `/me/activities/${id}/signup`);
    expect(join.statusCode).toBe(404);
    expect((await call('residentC', 'DELETE', `/me/activities/${id}/signup`)).statusCode).toBe(404);
    expect((await call('communityWorker2', 'GET', `/activities/${id}/signups`)).statusCode).toBe(
      404,
    );
    expect((await call('residentA', 'GET', `/activities/${id}/signups`)).statusCode).toBe(403);
    // Nobody can cancel someone else's sign-up: the route names no person, only "me".
    expect((await call('residentB', 'DELETE', `/me/activities/${id}/signup`)).statusCode).toBe(404);
    const list = await call('communityWorker1', 'GET', `/activities/${id}/signups`);
    expect(list.statusCode).toBe(200);
    expect(list.json().confirmed).toEqual([
      expect.objectContaining({ name: 'residentA', phone: '138****0001' }),
    ]);
    expect(await counts(id)).toMatchObject({ confirmed: 1, counter: 1 });
  });

  it('bad input: past start, end before start, late sign-up close, zero or huge capacity, unknown place → 400, nothing written', async () => {
    const before = (await t.database.db.selectFrom('activities').select('id').execute()).length;
    const cases: [object, RegExp][] = [
      [{ startsAt: later(-H) }, /startsAt is in the past/],
      [{ endsAt: later(H) }, /endsAt must be after startsAt/],
      [{ signupClosesAt: later(30 * H) }, /no later than startsAt/],
      [{ capacity: 0 }, /capacity/],
      [{ capacity: 1_000_000 }, /capacity/],
      [
        { audience: { kind: 'compound', id: '0190f5c2-dead-7000-8000-00000000beef' } },
        /pick one from the list/,
      ],
      [{ startsAt: '明天' }, /valid time|startsAt/],
    ];
    for (const [extra, message] of cases) {
      const r = await call('communityWorker1', 'POST', '/activities', {
        audience: { kind: 'community', id: w.community1 },
        title: '测试',
        description: '说明',
        location: '服务馆',
        startsAt: later(24 * H),
        endsAt: later(26 * H),
        capacity: 5,
        ...extra,
      });
      expect(r.statusCode, JSON.stringify(extra)).toBe(400);
      expect(r.json().error.message, JSON.stringify(extra)).toMatch(message);
    }
    expect((await t.database.db.selectFrom('activities').select('id').execute()).length).toBe(
      before,
    );
  });

  it('closed or cancelled activities refuse sign-ups with 409; reminders go once to the confirmed, shortly before the start', async () => {
    const id = await create({ startsAt: later(5 * H), endsAt: later(6 * H), capacity: 1 });
    await call('residentA', 'POST', `/me/activities/${id}/signup`);
    await call('residentB', 'POST', `/me/activities/${id}/signup`); // waiting: no reminder
    expect(await sendActivityReminders(t.deps)).toBe(0); // 5 h ahead: too early
    t.clock.advance(2.5 * H);
    const sent = t.sms.sent.length;
    expect(await sendActivityReminders(t.deps)).toBeGreaterThanOrEqual(1);
    const texts = t.sms.sent.slice(sent);
    expect(texts.filter((m) => m.to === '13800000001' && m.text.includes('活动提醒'))).toHaveLength(
      1,
    );
    expect(texts.some((m) => m.to === '13800000002')).toBe(false);
    await sendActivityReminders(t.deps);
    expect(
      t.sms.sent.filter((m) => m.to === '13800000001' && m.text.includes('活动提醒')),
    ).toHaveLength(1);

    for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
    const cancelled = await call('communityWorker1', 'POST', `/activities/${id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const r = await call('residentB', 'DELETE', `/me/activities/${id}/signup`);
    expect(r.statusCode).toBe(200);
    const again = await call('residentB', 'POST', `/me/activities/${id}/signup`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/cancelled/);
    t.clock.advance(3 * H);
    for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
    const closed = await create({
      startsAt: later(2 * H),
      endsAt: later(3 * H),
      signupClosesAt: later(H),
    });
    t.clock.advance(1.5 * H);
    for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
    const late = await call('residentA', 'POST', `/me/activities/${closed}/signup`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/报名已截止/);
  });
});
