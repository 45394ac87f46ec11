/**
 * Issue 13, finding 5: revocation ends access. An access token is honoured only while its
 * session stands, so a logout, a refresh-token reuse (which revokes every session of the
 * user) and a made-up session id end access — on the node that revoked at once, on any
 * other node within the cache window — and an open live stream is closed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../app.ts';
import { iso, newId, cryptoRandom } from '../../platform/clock.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { SESSION_CHECK_TTL_MS } from './session.runtime.ts';

describeEachDialect('issue 13: revoking a session ends its access tokens', (dialect) => {
  let t: TestApp;
  let other: BuiltApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
    // A second node on the same database, with its own session cache.
    other = await buildApp({
      config: t.deps.config,
      database: t.database,
      clock: t.clock,
      sms: t.sms,
      logger: false,
    });
    await other.app.ready();
  });
  afterEach(async () => {
    await other.app.close();
    await t.close();
  });

  const phone = '13800001111';
  async function signIn(): Promise<{ accessToken: string; refreshToken: string; userId: string }> {
    t.clock.advance(61_000); // past the one-code-a-minute limit
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/verify',
      payload: { phone, code: t.sms.lastCode(phone) },
    });
    expect(r.statusCode).toBe(200);
    return r.json();
  }
  const me = (node: BuiltApp | TestApp, token: string) =>
    node.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  it('finding 5: after logout the access token is refused at once on that node, and on another node after the cache window', async () => {
    const s = await signIn();
    expect((await me(other, s.accessToken)).statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { authorization: `Bearer ${s.accessToken}` },
        })
      ).statusCode,
    ).toBe(204);
    const here = await me(t, s.accessToken);
    expect(here.statusCode).toBe(401);
    expect(here.json().error.message).toMatch(/session has ended/);
    // The other node answered from its cache a moment ago; it asks the database again once the window passes.
    t.clock.advance(SESSION_CHECK_TTL_MS + 1);
    expect((await me(other, s.accessToken)).statusCode).toBe(401);
  });

  it('finding 5: refresh-token reuse revokes every session of the user, and their access tokens stop working', async () => {
    const first = await signIn();
    const second = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: first.refreshToken },
      })
    ).json();
    expect((await me(t, second.accessToken)).statusCode).toBe(200);
    // The stolen, already rotated refresh token comes back: theft. Every session of the user ends.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refreshToken: first.refreshToken },
        })
      ).statusCode,
    ).toBe(401);
    t.clock.advance(SESSION_CHECK_TTL_MS + 1);
    for (const token of [first.accessToken, second.accessToken]) {
      expect((await me(t, token)).statusCode).toBe(401);
      expect((await me(other, token)).statusCode).toBe(401);
    }
  });

  it('finding 5: a correctly signed token whose session id was never issued is refused', async () => {
    const s = await signIn();
    const forged = (await t.deps.tokens.issue({ sub: s.userId, sid: newId(t.clock, cryptoRandom) }))
      .token;
    expect((await me(t, forged)).statusCode).toBe(401);
    // A session that has run out (its refresh lifetime is over) ends its access tokens too.
    await t.database.db
      .updateTable('sessions')
      .set({ expires_at: iso(t.clock.now() - 1) })
      .where('user_id', '=', s.userId)
      .execute();
    t.clock.advance(SESSION_CHECK_TTL_MS + 1);
    expect((await me(t, s.accessToken)).statusCode).toBe(401);
  });

  it('finding 5: a live stream opened before logout is closed', async () => {
    const s = await signIn();
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/api/v1/live`, {
      headers: { authorization: `Bearer ${s.accessToken}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    while (!buf.includes('event: ready')) buf += (await reader.read()).value ?? '';
    // Signed out on the other node: the stream's node learns it from the database.
    expect(
      (
        await other.app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { authorization: `Bearer ${s.accessToken}` },
        })
      ).statusCode,
    ).toBe(204);
    const started = Date.now();
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return true;
      })(),
      new Promise<false>((r) => setTimeout(() => r(false), 8000)),
    ]);
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
