/**
 * Attacks on sign-in (OWASP API2): forged and out-of-scope access tokens are refused
 * with 401, and guessing the SMS code or a password hits the throttle — also when the
 * guesses arrive all at once (docs/security.md has the guessing probabilities).
 */
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { OTP } from '../../src/modules/identity/auth.service.ts';
import { hashPassword } from '../../src/platform/auth/passwords.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/platform/auth/tokens.ts';
import { signToken } from '../factories.ts';
import { describeEachDialect, TEST_ENV } from '../harness.ts';
import { useWorld } from '../world.ts';

const KEY = Buffer.from(TEST_ENV.ANTNEST_TOKEN_KEY, 'base64');
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describeEachDialect('abuse: tokens and guessing', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    // The session every hand-signed token below names: a correctly signed token is accepted only with a live session.
    await signToken(t, w.users.admin.id, 'abuse-session');
  }, 120_000);

  const me = (authorization: string) =>
    t.app.inject({ url: '/api/v1/me', headers: { authorization } });
  const claims = () => ({ sub: w.users.admin.id, sid: 'abuse-session' });
  const sign = async (o: {
    alg?: 'HS256' | 'HS384' | 'HS512';
    key?: Uint8Array;
    iss?: string;
    aud?: string;
    exp?: number;
    iat?: number;
    sub?: string | null;
    sid?: string | null;
  }) => {
    const now = Math.floor(t.clock.now() / 1000);
    const jwt = new SignJWT(o.sid === null ? {} : { sid: o.sid ?? 'abuse-session' })
      .setProtectedHeader({ alg: o.alg ?? 'HS256', typ: 'JWT' })
      .setIssuer(o.iss ?? TOKEN_ISSUER)
      .setAudience(o.aud ?? TOKEN_AUDIENCE)
      .setIssuedAt(o.iat ?? now)
      .setExpirationTime(o.exp ?? now + 600);
    if (o.sub !== null) jwt.setSubject(o.sub ?? claims().sub);
    return jwt.sign(o.key ?? KEY);
  };

  it('a correctly signed token is accepted (the control for every refusal below)', async () => {
    expect((await me(`Bearer ${await sign({})}`)).statusCode).toBe(200);
  }, 120_000);

  it('refuses alg "none", other algorithms, other keys, wrong issuer or audience, expired, missing claims and tampering', async () => {
    const now = Math.floor(t.clock.now() / 1000);
    const payload = {
      ...claims(),
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      iat: now,
      exp: now + 600,
    };
    const good = await sign({});
    const [h, , s] = good.split('.');
    const rsa = await generateKeyPair('RS256');
    const attacks: Record<string, string> = {
      'alg none, no signature': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`,
      'alg none, with the real signature': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.${s}`,
      'alg NONE spelled otherwise': `${b64({ alg: 'nOnE' })}.${b64(payload)}.`,
      'HS512 with the right key': await sign({ alg: 'HS512' }),
      'HS384 with the right key': await sign({ alg: 'HS384' }),
      'RS256 with an attacker key': await new SignJWT({ sid: 'x' })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject(claims().sub)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(rsa.privateKey),
      'HS256 with another key': await sign({ key: Buffer.alloc(32, 1) }),
      'HS256 with an empty-ish key': await sign({ key: Buffer.alloc(32, 0) }),
      'wrong issuer': await sign({ iss: 'evil' }),
      'wrong audience': await sign({ aud: 'antnest-device' }),
      expired: await sign({ iat: now - 3600, exp: now - 1 }),
      'no subject': await sign({ sub: null }),
      'no session id': await sign({ sid: null }),
      'a session id never issued': await sign({ sid: 'never-issued' }),
      "another user's session id": await sign({ sid: 'abuse-session', sub: w.users.residentA.id }),
      'unknown user': await sign({ sub: '0190f5c2-dead-7000-8000-00000000beef' }),
      'payload swapped under a valid signature': `${h}.${b64({ ...payload, sub: w.users.residentA.id })}.${s}`,
      'signature stripped': `${h}.${good.split('.')[1]}.`,
      'two dots only': `${h}..${s}`,
    };
    for (const [what, token] of Object.entries(attacks)) {
      const r = await me(`Bearer ${token}`);
      expect(r.statusCode, what).toBe(401);
      expect(r.json().error.code, what).toBe('unauthenticated');
    }
  }, 120_000);

  // tokens.verify() bounds a token's age to the access lifetime and refuses an `iat` in the future.
  it('refuses a token issued in the future or living longer than ACCESS_TOKEN_TTL', async () => {
    const now = Math.floor(t.clock.now() / 1000);
    expect(
      (await me(`Bearer ${await sign({ iat: now + 86_400, exp: now + 86_400 * 366 })}`)).statusCode,
    ).toBe(401);
    expect(
      (await me(`Bearer ${await sign({ iat: now, exp: now + 86_400 * 366 })}`)).statusCode,
    ).toBe(401);
    expect((await me(`Bearer ${await sign({ iat: now - 3600, exp: now + 600 })}`)).statusCode).toBe(
      401,
    );
  }, 120_000);

  it('a refresh token is not an access token, and a logged-out session ends', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: '13800000001' },
    });
    const s = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/otp/verify',
        payload: { phone: '13800000001', code: t.sms.lastCode('13800000001') },
      })
    ).json();
    expect((await me(`Bearer ${s.refreshToken}`)).statusCode).toBe(401);
    expect((await me(`Bearer ${s.accessToken}`)).statusCode).toBe(200);
  }, 120_000);

  it('OTP: five wrong guesses burn the code, so even the right code is then refused', async () => {
    const phone = '13800000002';
    t.clock.advance(3600_000);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    const code = t.sms.lastCode(phone);
    const wrong = (i: number) =>
      String((Number(code) + 1 + i) % 10 ** OTP.digits).padStart(OTP.digits, '0');
    for (let i = 0; i < OTP.maxAttempts; i++) {
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/otp/verify',
            payload: { phone, code: wrong(i) },
          })
        ).statusCode,
      ).toBe(401);
    }
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/verify',
      payload: { phone, code },
    });
    expect(right.statusCode, right.body).toBe(401);
  }, 120_000);

  // verifyOtp claims an attempt with one conditional update before comparing, so parallel guesses
  // cannot check more codes than allowed (on PostgreSQL they really run in parallel).
  it('OTP: a burst of parallel guesses gets no more than the allowed attempts', async () => {
    const phone = '13800000003';
    t.clock.advance(3600_000);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    const code = t.sms.lastCode(phone);
    const guesses = Array.from({ length: 40 }, (_, i) =>
      i === 30 ? code : String((Number(code) + 1 + i) % 10 ** OTP.digits).padStart(OTP.digits, '0'),
    );
    const results = await Promise.all(
      guesses.map((g) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/otp/verify',
          payload: { phone, code: g },
        }),
      ),
    );
    // The right code is the 31st guess: with 5 attempts per code it must not get through.
    expect(
      results[30]!.statusCode,
      'the 31st parallel guess was evaluated: the attempt limit is not atomic',
    ).toBe(401);
  }, 120_000);

  it('OTP: a phone gets at most 5 codes an hour and an address 30; the throttle says when to retry', async () => {
    const phone = '13800000004';
    t.clock.advance(3600_000);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      t.clock.advance(61_000);
    }
    expect(statuses.filter((s) => s < 300)).toHaveLength(OTP.perPhonePerHour);
    expect(statuses.at(-1)).toBe(429);
  }, 120_000);

  it('passwords: the 11th attempt on one account within 15 minutes is throttled, even with the right password', async () => {
    await t.database.db
      .updateTable('users')
      .set({ password_hash: await hashPassword('correct horse battery') })
      .where('id', '=', w.users.officer.id)
      .execute();
    t.clock.advance(3600_000);
    const codes: number[] = [];
    for (let i = 0; i < 10; i++)
      codes.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'officer', password: `wrong-guess-${i}` },
          })
        ).statusCode,
      );
    expect(codes.every((c) => c === 401)).toBe(true);
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'officer', password: 'correct horse battery' },
    });
    expect(right.statusCode).toBe(429);
  }, 120_000);

  it('a disabled account is shut out at once, even with a live token', async () => {
    const headers = { authorization: `Bearer ${await signToken(t, w.users.residentC.id)}` };
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(200);
    await t.database.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', w.users.residentC.id)
      .execute();
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(401);
  }, 120_000);
});
