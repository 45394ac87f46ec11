/**
 * Notices live (issue 15): publishing a notice or activity, or making one urgent or pinned,
 * reaches the residents in its scope and the kiosk boards of halls inside it as a `notice`
 * frame through the live hub (ADR 0015) — never a resident or a hall outside the scope.
 */
import { expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { manualHub, type Recorder, recorder } from '../../platform/live/live.testkit.ts';
import { placesOfHall, placesOfUnits } from '../../platform/live/notice.repository.ts';

const H = 3_600_000;

describeEachDialect('notices: live frames to residents and kiosk boards in scope', (dialect) => {
  const { t, w } = useWorld(dialect);
  const call = (who: WorldUser, method: 'POST' | 'PATCH', url: string, payload: object = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: auth(w, who), payload });
  const later = (ms: number) => new Date(t.clock.now() + ms).toISOString();
  const listener = (places: ReadonlySet<string>, userId = '') =>
    recorder({ userId, sessionId: null, places });
  const noticeIds = (s: Recorder) =>
    s.frames.flatMap((f) => (f.type === 'notice' ? [`${f.kind}:${f.id}`] : []));

  it('a resident in scope and the hall inside it hear of a notice, an urgent change and an activity; others do not', async () => {
    const hub = manualHub(t.database.db);
    const a = listener(await placesOfUnits(t.database.db, [w.unitA]), w.users.residentA.id);
    const c = listener(await placesOfUnits(t.database.db, [w.unitC]), w.users.residentC.id);
    const board1 = listener((await placesOfHall(t.database.db, w.hall1))!);
    const board2 = listener((await placesOfHall(t.database.db, w.hall2))!);
    const unsubs = await Promise.all([a, c, board1, board2].map((s) => hub.subscribe(s)));

    const n = await call('communityWorker1', 'POST', '/notices', {
      audience: { kind: 'community', id: w.community1 },
      title: '明日停水',
      body: '明天 9:00–12:00 停水，请提前储水。',
    });
    expect(n.statusCode, n.body).toBe(201);
    const notice = `notice:${n.json().id}`;
    await hub.tick();
    expect(noticeIds(a)).toEqual([notice]);
    expect(noticeIds(board1)).toEqual([notice]);
    expect(noticeIds(c)).toEqual([]);
    expect(noticeIds(board2)).toEqual([]);

    // Made urgent a minute later: news again for those in scope (a second frame), still none for others.
    t.clock.advance(60_000);
    const urgent = await call('communityWorker1', 'PATCH', `/notices/${n.json().id}`, {
      urgent: true,
      expiresAt: later(24 * H),
    });
    expect(urgent.statusCode, urgent.body).toBe(200);
    await hub.tick();
    expect(noticeIds(a)).toEqual([notice, notice]);
    expect(noticeIds(c)).toEqual([]);

    const act = await call('hallStaff1', 'POST', '/activities', {
      audience: { kind: 'community', id: w.community1 },
      title: '社区义诊',
      description: '免费测血压',
      location: '服务馆休息区',
      startsAt: later(24 * H),
      endsAt: later(26 * H),
      capacity: 5,
    });
    expect(act.statusCode, act.body).toBe(201);
    await hub.tick();
    expect(noticeIds(a)).toContain(`activity:${act.json().id}`);
    expect(noticeIds(board1)).toContain(`activity:${act.json().id}`);
    expect(noticeIds(c)).toEqual([]);
    expect(noticeIds(board2)).toEqual([]);

    // A subdistrict-wide notice reaches both communities; a tick with nothing new sends nothing.
    const wide = await call('officer', 'POST', '/notices', {
      audience: { kind: 'subdistrict', id: w.subdistrict },
      title: '街道医保缴费提醒',
      body: '本月底前缴纳。',
    });
    expect(wide.statusCode, wide.body).toBe(201);
    await hub.tick();
    await hub.tick();
    expect(noticeIds(c)).toEqual([`notice:${wide.json().id}`]);
    expect(noticeIds(board2)).toEqual([`notice:${wide.json().id}`]);
    expect(noticeIds(a).filter((x) => x === `notice:${wide.json().id}`)).toHaveLength(1);
    for (const u of unsubs) u();
    hub.close();
  });

  it("the kiosk board's stream names a real hall: 404 for none, 400 for a malformed id", async () => {
    const missing = await t.app.inject({
      url: '/api/v1/live/halls/0190f3a4-0000-7000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/live/halls/x' })).statusCode).toBe(400);
  });
});
