/**
 * PIPL: the sign-in screen's user agreement and privacy notice are served as pages, and
 * acceptance is recorded per person with the version, language and time; a new version
 * must be accepted again. Elder mode is remembered on the account.
 */
import { expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { AGREEMENT_VERSIONS } from './agreement-texts.ts';

describeEachDialect('agreements and settings', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, 'residentA'),
      ...(payload ? { payload } : {}),
    });
  const current = [
    { document: 'terms', version: AGREEMENT_VERSIONS.terms },
    { document: 'privacy', version: AGREEMENT_VERSIONS.privacy },
  ];

  it('serves both texts as pages in Chinese and English, and lists the versions in force without signing in', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/agreements' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      {
        document: 'terms',
        version: AGREEMENT_VERSIONS.terms,
        title: '蚁巢用户服务协议',
        url: '/legal/terms',
      },
      {
        document: 'privacy',
        version: AGREEMENT_VERSIONS.privacy,
        title: '蚁巢隐私政策',
        url: '/legal/privacy',
      },
    ]);
    const zh = await t.app.inject({ method: 'GET', url: '/legal/privacy' });
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toMatch(/text\/html/);
    expect(zh.body).toContain('我们收集什么');
    const en = await t.app.inject({ method: 'GET', url: '/legal/terms?lang=en' });
    expect(en.body).toContain('antnest User Agreement');
  });

  it('records acceptance with version, language and time, once; a stale or partial acceptance is refused', async () => {
    expect((await call('GET', '/me/agreements')).json()).toEqual({ accepted: [], upToDate: false });
    const partial = await call('POST', '/me/agreements', { accepted: [current[0]], lang: 'zh-CN' });
    expect(partial.statusCode).toBe(400);
    const stale = await call('POST', '/me/agreements', {
      accepted: [current[0], { document: 'privacy', version: '2020-01-01' }],
      lang: 'zh-CN',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/changed/);

    const ok = await call('POST', '/me/agreements', { accepted: current, lang: 'zh-CN' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().upToDate).toBe(true);
    t.clock.advance(60_000);
    await call('POST', '/me/agreements', { accepted: current, lang: 'en' });
    const rows = await t.database.db
      .selectFrom('agreement_acceptances')
      .selectAll()
      .where('user_id', '=', w.users.residentA.id)
      .orderBy('document')
      .execute();
    expect(rows.map((r) => [r.document, r.version, r.lang])).toEqual([
      ['privacy', AGREEMENT_VERSIONS.privacy, 'zh-CN'],
      ['terms', AGREEMENT_VERSIONS.terms, 'zh-CN'],
    ]);
    expect(new Date(rows[0]!.accepted_at).getTime()).toBe(t.clock.now() - 60_000);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('actor_id', '=', w.users.residentA.id)
      .execute();
    expect(audit.filter((a) => a.action === 'agreement.accept')).toHaveLength(2);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/me/agreements',
          payload: { accepted: current, lang: 'zh-CN' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('remembers elder mode on the account', async () => {
    expect((await call('GET', '/me/settings')).json()).toEqual({ elderMode: false });
    expect((await call('PUT', '/me/settings', { elderMode: true })).json()).toEqual({
      elderMode: true,
    });
    expect((await call('GET', '/me/settings')).json()).toEqual({ elderMode: true });
    expect((await call('PUT', '/me/settings', { elderMode: 'yes' })).statusCode).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/me/settings',
          headers: auth(w, 'residentB'),
        })
      ).json(),
    ).toEqual({ elderMode: false });
  });
});
