/**
 * WeChat sign-in and subscribe grants (issue 20): a code works once, a forged one never; an
 * openid reaches an account only through a phone check, and never a second account;
 * subscribe grants are counted per accept and taken one per message, SMS otherwise.
 */
import { expect, it } from 'vitest';
import { auth } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import type { Phone } from '../../../platform/crypto/phone.ts';
import { LocalWechatGateway } from '../../../platform/wechat/wechat.port.ts';
import { WECHAT_TOPICS, wechatGateway } from '../../../platform/wechat/wechat.port.ts';
import { WechatTopicSchema } from './wechat.schemas.ts';
import { notifyResident } from './wechat-subscription.service.ts';

describeEachDialect('wechat sign-in and subscriptions', (dialect) => {
  const { t, w } = useWorld(dialect);
  let nonce = 0;
  const code = (name: string) => `demo:${name}:n${++nonce}`;
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers });
  const session = (c: string) => post('/auth/wechat/session', { code: c });
  const local = () => wechatGateway(t.deps.config) as LocalWechatGateway;
  const boundCount = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('wechat_accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a forged code and a replayed one with 401, and binds nothing', async () => {
    const forged = await session('0a1b2c3d4e5f');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.message).toMatch(/wx\.login again/);
    const c = code('replayer');
    expect((await session(c)).json().status).toBe('needs_phone');
    const replay = await session(c);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toMatch(/already used/);
    expect(await boundCount()).toBe(0);
  });

  it('binds an openid only after the phone check, then signs it straight in', async () => {
    const first = (await session(code('amei'))).json();
    expect(first).toMatchObject({ status: 'needs_phone', bindToken: expect.any(String) });
    // A wrong SMS code proves nothing: no binding, no session, and the token is not spent.
    await post('/auth/otp', { phone: w.users.residentA.phone! });
    const wrong = await post('/auth/wechat/bind', {
      bindToken: first.bindToken,
      phone: w.users.residentA.phone!,
      otp: '000000' === t.sms.lastCode(w.users.residentA.phone!) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    expect(await boundCount()).toBe(0);

    const bound = await post('/auth/wechat/bind', {
      bindToken: first.bindToken,
      phone: w.users.residentA.phone!,
      otp: t.sms.lastCode(w.users.residentA.phone!),
    });
    expect(bound.statusCode).toBe(200);
    expect(bound.json()).toMatchObject({
      status: 'signed_in',
      user: { id: w.users.residentA.id, phone: '138****0001' },
    });
    // The token is single use.
    const again = await post('/auth/wechat/bind', {
      bindToken: first.bindToken,
      phoneCode: 'demo-phone:13800000001',
    });
    expect(again.statusCode).toBe(401);

    const next = (await session(code('amei'))).json();
    expect(next).toMatchObject({ status: 'signed_in', user: { id: w.users.residentA.id } });
    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${next.token}` },
    });
    expect(me.json().id).toBe(w.users.residentA.id);
  });

  it('never binds a second WeChat user to a bound account, nor one openid to two accounts', async () => {
    const other = (await session(code('mallory'))).json();
    const res = await post('/auth/wechat/bind', {
      bindToken: other.bindToken,
      phoneCode: 'demo-phone:13800000001',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/already linked to another WeChat/);
    // The openid that is bound (amei → residentA) signs in as residentA only: a new bind token never comes for it.
    expect((await session(code('amei'))).json().user.id).toBe(w.users.residentA.id);
    // mallory may bind their own phone, through the phone check.
    const fresh = (await session(code('mallory'))).json();
    const own = await post('/auth/wechat/bind', {
      bindToken: fresh.bindToken,
      phoneCode: 'demo-phone:13800000002',
    });
    expect(own.json().user.id).toBe(w.users.residentB.id);
    expect(await boundCount()).toBe(2);
    const bad = await post('/auth/wechat/bind', {
      bindToken: (await session(code('eve'))).json().bindToken,
      phoneCode: 'demo-phone:not-a-phone',
    });
    expect(bad.statusCode).toBe(401);
  });

  it('refuses an expired bind token', async () => {
    const r = (await session(code('late'))).json();
    t.clock.advance(11 * 60_000);
    const res = await post('/auth/wechat/bind', {
      bindToken: r.bindToken,
      phoneCode: 'demo-phone:13800000003',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/expired/);
  });

  it("answers a mangled bind token with the bind token's own message, not a schema riddle", async () => {
    const bound = await boundCount();
    for (const bindToken of ['zzz', 'x'.repeat(19)]) {
      const res = await post('/auth/wechat/bind', {
        bindToken,
        phoneCode: 'demo-phone:13800000003',
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/bind token/);
    }
    expect(await boundCount()).toBe(bound);
  });

  it('publishes the same topics the port knows', () => {
    expect(WechatTopicSchema.enum).toEqual([...WECHAT_TOPICS]);
  });

  it('counts one grant per accept and ignores the rest', async () => {
    const headers = auth(w, 'residentA');
    const before = await t.app.inject({ url: '/api/v1/me/wechat/subscriptions', headers });
    expect(before.json().templates).toEqual([
      { topic: 'parcel_arrived', templateId: 'local-parcel_arrived', remaining: 0 },
      { topic: 'overdue_reminder', templateId: 'local-overdue_reminder', remaining: 0 },
      { topic: 'order_ready', templateId: 'local-order_ready', remaining: 0 },
      { topic: 'need_replied', templateId: 'local-need_replied', remaining: 0 },
    ]);
    const results = {
      errMsg: 'requestSubscribeMessage:ok',
      'local-parcel_arrived': 'accept',
      'local-order_ready': 'reject',
      'local-need_replied': 'ban',
    };
    await post('/me/wechat/subscriptions', { results }, headers);
    const after = await post('/me/wechat/subscriptions', { results }, headers);
    expect(after.statusCode).toBe(200);
    expect(after.json().templates.map((x: { remaining: number }) => x.remaining)).toEqual([
      2, 0, 0, 0,
    ]);
    const unknown = await post(
      '/me/wechat/subscriptions',
      { results: { 'someone-elses': 'accept' } },
      headers,
    );
    expect(unknown.statusCode).toBe(400);
    const courier = await post('/me/wechat/subscriptions', { results }, auth(w, 'courier'));
    expect(courier.statusCode).toBe(403);
  });

  it('sends through WeChat while a grant is left (taking exactly one), then falls back to SMS', async () => {
    const msg = {
      topic: 'parcel_arrived' as const,
      sms: '【蚁巢】您的快递已存入',
      wechat: { page: 'pages/parcels/index', data: { thing1: { value: '包裹已存入快递柜' } } },
    };
    const a = w.users.residentA.id;
    const smsBefore = t.sms.sent.length;
    const inboxBefore = local().inbox().length;
    expect(await notifyResident(t.deps, a, msg)).toBe('wechat');
    expect(await notifyResident(t.deps, a, msg)).toBe('wechat');
    expect(await notifyResident(t.deps, a, msg)).toBe('sms');
    expect(local().inbox().length - inboxBefore).toBe(2);
    expect(t.sms.sent.slice(smsBefore)).toEqual([{ to: '13800000001' as Phone, text: msg.sms }]);
    expect(local().inbox()[0]).toMatchObject({
      topic: 'parcel_arrived',
      templateId: 'local-parcel_arrived',
      page: 'pages/parcels/index',
    });
    // Another topic's grants are not touched; a resident with no WeChat gets SMS.
    expect(await notifyResident(t.deps, a, { ...msg, topic: 'order_ready' })).toBe('sms');
    expect(await notifyResident(t.deps, w.users.residentC.id, msg)).toBe('sms');
  });

  it('falls back to SMS when WeChat refuses the send, and the grant is spent', async () => {
    const headers = auth(w, 'residentB');
    await post(
      '/me/wechat/subscriptions',
      { results: { 'local-need_replied': 'accept' } },
      headers,
    );
    const openid = (
      await t.database.db
        .selectFrom('wechat_accounts')
        .select('openid')
        .where('user_id', '=', w.users.residentB.id)
        .executeTakeFirstOrThrow()
    ).openid;
    local().refuse.add(openid);
    try {
      const r = await notifyResident(t.deps, w.users.residentB.id, {
        topic: 'need_replied',
        sms: '【蚁巢】您的诉求有回复',
        wechat: { page: 'pages/needs/index', data: {} },
      });
      expect(r).toBe('sms');
    } finally {
      local().refuse.delete(openid);
    }
    const left = await t.app.inject({ url: '/api/v1/me/wechat/subscriptions', headers });
    expect(left.json().templates[3]).toMatchObject({ topic: 'need_replied', remaining: 0 });
  });
});
