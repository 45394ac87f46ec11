/**
 * Notices: who may publish where, who sees what (a resident of one community never sees
 * another community's compound notice), pinned and urgent notices that expire, and bad
 * input answered with an actionable 4xx that writes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auth, seedWorld, signToken, type World, type WorldUser } from '../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../test/harness.ts';

const H = 3600_000;

describeEachDialect('notices', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  const call = (who: WorldUser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });
  /** Move the clock and give everyone a fresh access token (they last 15 minutes). */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
  };
  const later = (ms: number) => new Date(t.clock.now() + ms).toISOString();
  const count = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('notices')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const titles = async (who: WorldUser) =>
    ((await call(who, 'GET', '/me/notices')).json() as { title: string }[]).map((n) => n.title);

  it('scopes notices: compound, community and subdistrict notices reach exactly the residents inside', async () => {
    const post = (who: WorldUser, kind: string, id: string, title: string) =>
      call(who, 'POST', '/notices', { audience: { kind, id }, title, body: `${title} 正文` });
    expect((await post('communityWorker1', 'compound', w.compound1, 'A区停水')).statusCode).toBe(
      201,
    );
    const b = await post('communityWorker2', 'community', w.community2, 'B社区通知');
    expect(b.statusCode, b.body).toBe(201);
    expect((await post('officer', 'subdistrict', w.subdistrict, '街道医保缴费')).statusCode).toBe(
      201,
    );

    expect(await titles('residentA')).toEqual(expect.arrayContaining(['A区停水', '街道医保缴费']));
    expect(await titles('residentA')).not.toContain('B社区通知');
    // The other community's resident sees neither A's compound notice nor… but sees the subdistrict's.
    expect(await titles('residentC')).toContain('B社区通知');
    expect(await titles('residentC')).toContain('街道医保缴费');
    expect(await titles('residentC')).not.toContain('A区停水');
  });

  it('refuses to publish outside the author’s places (403) and to a place that does not exist (400), writing nothing', async () => {
    const before = await count();
    const outside = await call('communityWorker1', 'POST', '/notices', {
      audience: { kind: 'community', id: w.community2 },
      title: '越界',
      body: '不应发布',
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.message).toMatch(/只能向自己负责的范围发布/);
    const wide = await call('communityWorker1', 'POST', '/notices', {
      audience: { kind: 'subdistrict', id: w.subdistrict },
      title: '越级',
      body: '社区工作者不能发全街道',
    });
    expect(wide.statusCode).toBe(403);
    const hallWide = await call('hallStaff1', 'POST', '/notices', {
      audience: { kind: 'community', id: w.community2 },
      title: '别的社区',
      body: 'x',
    });
    expect(hallWide.statusCode).toBe(403);
    const missing = await call('communityWorker1', 'POST', '/notices', {
      audience: { kind: 'compound', id: '0190f5c2-dead-7000-8000-00000000beef' },
      title: '不存在',
      body: 'x',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/pick one from the list/);
    expect(
      (
        await call('residentA', 'POST', '/notices', {
          audience: { kind: 'compound', id: w.compound1 },
          title: 'x',
          body: 'y',
        })
      ).statusCode,
    ).toBe(403);
    expect(await count()).toBe(before);
  });

  it('bad input: highlights without expiry, past expiry, pins after expiry, bad times, empty text → 400 with a message', async () => {
    const before = await count();
    const cases: [object, RegExp][] = [
      [{ urgent: true }, /必须设置过期时间/],
      [{ pinnedUntil: later(H) }, /needs expiresAt/],
      [{ expiresAt: later(-H) }, /in the past/],
      [{ pinnedUntil: later(5 * H), expiresAt: later(2 * H) }, /no later than expiresAt/],
      [{ expiresAt: 'tomorrow morning' }, /not a valid time/],
      [{ urgent: true, expiresAt: later(200 * 24 * H) }, /at most 90 days/],
      [{ title: '   ' }, /title/],
      [{ body: '' }, /body/],
    ];
    for (const [extra, message] of cases) {
      const r = await call('communityWorker1', 'POST', '/notices', {
        audience: { kind: 'compound', id: w.compound1 },
        title: '测试',
        body: '正文',
        ...extra,
      });
      expect(r.statusCode, JSON.stringify(extra)).toBe(400);
      expect(r.json().error.message, JSON.stringify(extra)).toMatch(message);
    }
    expect(await count()).toBe(before);
  });

  it('urgent first, then pinned; pins lapse and notices expire on time; staff can take one down now', async () => {
    const mk = async (title: string, extra: object) => {
      const r = await call('hallStaff1', 'POST', '/notices', {
        audience: { kind: 'compound', id: w.compound1 },
        title,
        body: '正文',
        ...extra,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; audience: { hallId: string | null } };
    };
    const pinned = await mk('置顶通知', { pinnedUntil: later(2 * H), expiresAt: later(10 * H) });
    const urgent = await mk('紧急通知', { urgent: true, expiresAt: later(5 * H) });
    await mk('普通通知', {});
    expect(pinned.audience.hallId).toBe(w.hall1);
    const list = (await call('residentB', 'GET', '/me/notices')).json() as {
      title: string;
      pinned: boolean;
      urgent: boolean;
    }[];
    expect(list.slice(0, 2).map((n) => n.title)).toEqual(['紧急通知', '置顶通知']);
    expect(list[1]!.pinned).toBe(true);

    await advance(3 * H); // the pin lapsed
    const later3 = (await call('residentB', 'GET', '/me/notices')).json() as {
      title: string;
      pinned: boolean;
    }[];
    expect(later3.find((n) => n.title === '置顶通知')!.pinned).toBe(false);
    await advance(3 * H); // the urgent notice expired
    expect(await titles('residentB')).not.toContain('紧急通知');
    expect(await titles('residentB')).toContain('置顶通知');

    // Staff take the pinned one down now; it stays in their list as expired.
    const down = await call('hallStaff1', 'POST', `/notices/${pinned.id}/expire`);
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({ expired: true, pinned: false });
    expect(await titles('residentB')).not.toContain('置顶通知');
    const mine = (await call('hallStaff1', 'GET', '/notices')).json() as {
      id: string;
      expired: boolean;
    }[];
    expect(mine.find((n) => n.id === pinned.id)!.expired).toBe(true);
    expect(mine.find((n) => n.id === urgent.id)!.expired).toBe(true);
  });

  it('edits stay inside the author’s scope: another community’s worker and residents get 404; a bad edit changes nothing', async () => {
    const r = await call('communityWorker1', 'POST', '/notices', {
      audience: { kind: 'community', id: w.community1 },
      title: '原标题',
      body: '原文',
    });
    const id = r.json().id as string;
    expect(
      (await call('communityWorker2', 'PATCH', `/notices/${id}`, { title: '篡改' })).statusCode,
    ).toBe(404);
    expect(
      (await call('hallStaff1', 'PATCH', `/notices/${id}`, { title: '篡改' })).statusCode,
    ).toBe(404);
    expect((await call('residentA', 'PATCH', `/notices/${id}`, { title: '篡改' })).statusCode).toBe(
      403,
    );
    const bad = await call('communityWorker1', 'PATCH', `/notices/${id}`, {
      title: '新标题',
      urgent: true,
    });
    expect(bad.statusCode).toBe(400);
    const ok = await call('communityWorker1', 'PATCH', `/notices/${id}`, {
      title: '新标题',
      urgent: true,
      expiresAt: later(H),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: '新标题', urgent: true });
    // The officer above the community manages it too.
    expect((await call('officer', 'POST', `/notices/${id}/expire`)).statusCode).toBe(200);
  });
});
