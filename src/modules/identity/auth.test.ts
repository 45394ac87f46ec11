import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../platform/auth/tokens.ts';
import { iso } from '../../platform/clock.ts';
import { OTP } from './auth.service.ts';

describeEachDialect('auth', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => t.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers });

  async function signInByOtp(phone: string) {
    expect((await post('/api/v1/auth/otp', { phone })).statusCode).toBe(202);
    const res = await post('/api/v1/auth/otp/verify', {
      phone,
      code: t.sms.lastCode(phone.replace(/\D/g, '').slice(-11)),
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('signs a new resident in by SMS code, creating the account once, with the phone stored encrypted', async () => {
    const first = await signInByOtp('+86 138 0013 8000');
    expect(first.newAccount).toBe(true);
    t.clock.advance(61_000);
    const second = await signInByOtp('13800138000');
    expect(second.newAccount).toBe(false);
    expect(second.userId).toBe(first.userId);

    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${second.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().phone).toBe('13800138000'); // the owner sees it in full

    const row = await t.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', first.userId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13800138000');
    expect(t.sms.sent[0]!.text).toMatch(/验证码/);
  });

  it('rejects a wrong code and burns the challenge after the maximum attempts', async () => {
    const phone = '13800138001';
    await post('/api/v1/auth/otp', { phone });
    const good = t.sms.lastCode(phone);
    const wrong = good === '000000' ? '111111' : '000000';
    for (let i = 0; i < OTP.maxAttempts; i++) {
      const r = await post('/api/v1/auth/otp/verify', { phone, code: wrong });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('otp_invalid');
    }
    // Even the right code no longer works: the challenge is spent.
    expect((await post('/api/v1/auth/otp/verify', { phone, code: good })).statusCode).toBe(401);
  });

  it('expires codes and makes them single-use', async () => {
    const phone = '13800138002';
    await post('/api/v1/auth/otp', { phone });
    const code = t.sms.lastCode(phone);
    t.clock.advance((OTP.ttlSeconds + 1) * 1000);
    expect((await post('/api/v1/auth/otp/verify', { phone, code })).statusCode).toBe(401);

    t.clock.advance(3600_000);
    await post('/api/v1/auth/otp', { phone });
    const code2 = t.sms.lastCode(phone);
    expect((await post('/api/v1/auth/otp/verify', { phone, code: code2 })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/otp/verify', { phone, code: code2 })).statusCode).toBe(401);
  });

  it('rate-limits code requests per phone with Retry-After', async () => {
    const phone = '13800138003';
    expect((await post('/api/v1/auth/otp', { phone })).statusCode).toBe(202);
    const again = await post('/api/v1/auth/otp', { phone });
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('rate_limited');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    let accepted = 1;
    for (let i = 0; i < 10; i++) {
      t.clock.advance(61_000);
      if ((await post('/api/v1/auth/otp', { phone })).statusCode === 202) accepted++;
    }
    expect(accepted).toBe(OTP.perPhonePerHour);
  });

  it('signs staff in by password, with one message for unknown user and wrong password, and throttles guessing', async () => {
    const at = iso(t.clock.now());
    await t.database.db
      .insertInto('users')
      .values({
        id: '0190f5c2-0000-7000-8000-000000000001',
        display_name: '王社工',
        phone_hash: null,
        phone_cipher: null,
        username: 'wang',
        password_hash: await hashPassword('correct horse battery'),
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .execute();
    const ok = await post('/api/v1/auth/login', {
      username: 'Wang',
      password: 'correct horse battery',
    });
    expect(ok.statusCode).toBe(200);
    const bad = await post('/api/v1/auth/login', { username: 'wang', password: 'wrong password!' });
    const unknown = await post('/api/v1/auth/login', {
      username: 'nobody',
      password: 'wrong password!',
    });
    expect(bad.statusCode).toBe(401);
    expect(unknown.json()).toEqual(bad.json());
    let limited = false;
    for (let i = 0; i < 12 && !limited; i++)
      limited =
        (await post('/api/v1/auth/login', { username: 'wang', password: `guess-${i}-xxxx` }))
          .statusCode === 429;
    expect(limited).toBe(true);
  });

  it('rotates refresh tokens and treats reuse of a rotated token as theft', async () => {
    const s = await signInByOtp('13800138004');
    const r1 = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(r1.statusCode).toBe(200);
    const reuse = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(reuse.statusCode).toBe(401);
    // The reuse revoked the whole family, so the fresh token is dead too.
    expect(
      (await post('/api/v1/auth/refresh', { refreshToken: r1.json().refreshToken })).statusCode,
    ).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const s = await signInByOtp('13800138005');
    const out = await post('/api/v1/auth/logout', {}, { authorization: `Bearer ${s.accessToken}` });
    expect(out.statusCode).toBe(204);
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(
      401,
    );
  });

  it('rejects forged, mis-addressed, expired and unsigned tokens', async () => {
    const s = await signInByOtp('13800138006');
    const key = t.deps.config.secrets.tokenKey;
    const now = Math.floor(t.clock.now() / 1000);
    // The real session id: a token is honoured only while its session stands.
    const sid = decodeJwt(s.accessToken)['sid'] as string;
    const forge = (opts: {
      iss?: string;
      aud?: string;
      exp?: number;
      key?: Buffer;
      alg?: string;
    }) =>
      new SignJWT({ sid })
        .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
        .setSubject(s.userId)
        .setIssuer(opts.iss ?? TOKEN_ISSUER)
        .setAudience(opts.aud ?? TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(opts.exp ?? now + 600)
        .sign(opts.key ?? key);
    const cases = {
      valid: await forge({}),
      wrongIssuer: await forge({ iss: 'evil' }),
      wrongAudience: await forge({ aud: 'other-api' }),
      expired: await forge({ exp: now - 10 }),
      wrongKey: await forge({ key: Buffer.alloc(32, 1) }),
      wrongAlg: await forge({ alg: 'HS512' }),
      none: new UnsecuredJWT({ sid: 'x' })
        .setSubject(s.userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .encode(),
      garbage: 'not-a-token',
    };
    for (const [name, token] of Object.entries(cases)) {
      const r = await t.app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(r.statusCode, name).toBe(name === 'valid' ? 200 : 401);
      if (name !== 'valid') expect(r.json().error.code, name).toBe('unauthenticated');
    }
    const expired = await t.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${cases.expired}` },
    });
    expect(expired.json().error.message).toMatch(/expired/);
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('refuses a disabled account even with a valid token', async () => {
    const s = await signInByOtp('13800138007');
    await t.database.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', s.userId)
      .execute();
    expect(
      (
        await t.app.inject({
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${s.accessToken}` },
        })
      ).statusCode,
    ).toBe(401);
  });
});
