/**
 * Residents' needs end to end on a real database: intake from the app and the desk,
 * routing to the grid, the closed loop, BOLA, duplicates, limits, bad input, urgent SMS.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { auth, signToken, type World, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { openWorld } from '../../../test/world.ts';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describeEachDialect('needs: intake, routing and the closed loop', (dialect) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (t) await t.database.db.deleteFrom('rate_counters').execute();
  });

  const call = (who: WorldUser, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(w, who),
      ...(payload ? { payload } : {}),
    });
  const file = (who: WorldUser, body: object) => call(who, 'POST', '/me/needs', body);
  const count = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('needs')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** Move the clock and give everyone a fresh token (access tokens expire). */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
  };
  let seq = 0;
  const text = (s: string) => `${s} #${++seq} ${'甲乙丙丁戊己庚辛壬癸'.repeat((seq % 7) + 1)}`;

  it('a resident files with a photo; it lands on their grid worker; both read it, nobody else does', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/needs/photos',
      headers: { ...auth(w, 'residentA'), 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(up.statusCode, up.body).toBe(201);
    const photoId = up.json().id as string;
    const r = await file('residentA', {
      serviceCode: 'sanitation',
      description: text('楼道里堆了很多纸箱，影响通行'),
      attributes: { kind: 'clutter' },
      photoIds: [photoId],
    });
    expect(r.statusCode, r.body).toBe(201);
    const n = r.json();
    expect(n.status).toBe('dispatched');
    expect(n.photoIds).toEqual([photoId]);
    expect(n.place).toContain('1栋');
    expect(n.history.map((h: { action: string }) => h.action)).toEqual(['received', 'dispatched']);

    const staff = (await call('gridWorker1', 'GET', `/needs/${n.id}`)).json();
    expect(staff.assigneeId).toBe(w.users.gridWorker1.id);
    expect(staff.party).toBe('grid_worker');
    expect(staff.channel).toBe('app');
    expect(staff.contactPhone).toBe('138****0001');
    const list = (await call('gridWorker1', 'GET', '/needs'))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(list).toContain(n.id);
    // The photo: its resident and the grid worker read it; a neighbour does not.
    const pic = await call('gridWorker1', 'GET', `/needs/photos/${photoId}`);
    expect(pic.statusCode).toBe(200);
    expect(pic.headers['content-type']).toBe('image/png');
    expect((await call('residentB', 'GET', `/needs/photos/${photoId}`)).statusCode).toBe(404);

    // BOLA: another resident, another community's worker, a courier.
    expect((await call('residentB', 'GET', `/me/needs/${n.id}`)).statusCode).toBe(404);
    expect((await call('communityWorker2', 'GET', `/needs/${n.id}`)).statusCode).toBe(404);
    expect((await call('courier', 'GET', `/needs/${n.id}`)).statusCode).toBe(403);
    expect(
      (await call('residentB', 'GET', '/me/needs')).json().items.map((x: { id: string }) => x.id),
    ).not.toContain(n.id);
  });

  it('a grid worker sees only their grid: a request from another grid is not theirs', async () => {
    // Unit B's grid has no grid worker: the request goes to the community office.
    const r = await file('residentB', {
      serviceCode: 'sanitation',
      description: text('垃圾桶满了'),
      attributes: { kind: 'rubbish' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    expect((await call('communityWorker1', 'GET', `/needs/${id}`)).json().party).toBe(
      'community_office',
    );
    expect((await call('gridWorker1', 'GET', `/needs/${id}`)).statusCode).toBe(404);
    const mine = (await call('gridWorker1', 'GET', '/needs'))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(mine).not.toContain(id);
    expect((await call('gridWorker1', 'POST', `/needs/${id}/accept`)).statusCode).toBe(404);
  });

  it('accept → reply → close → rate; closing needs a reply; a rating is given once', async () => {
    const id = (
      await file('residentA', {
        serviceCode: 'elderly_help',
        description: text('我妈妈需要助餐'),
        attributes: { help_kind: 'meal' },
      })
    ).json().id;
    expect((await call('gridWorker1', 'POST', `/needs/${id}/accept`)).json().status).toBe(
      'in_progress',
    );
    const early = await call('gridWorker1', 'POST', `/needs/${id}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/Reply to the resident before closing/);
    expect(
      (await call('residentA', 'POST', `/me/needs/${id}/rating`, { rating: 5 })).statusCode,
    ).toBe(409);
    expect(
      (
        await call('gridWorker1', 'POST', `/needs/${id}/reply`, {
          reply: '已联系助餐点，每天中午送餐上门。',
        })
      ).json().status,
    ).toBe('replied');
    const closed = (await call('gridWorker1', 'POST', `/needs/${id}/close`, {})).json();
    expect(closed.status).toBe('closed');
    const rated = await call('residentA', 'POST', `/me/needs/${id}/rating`, {
      rating: 5,
      comment: '很及时',
    });
    expect(rated.json().rating).toBe(5);
    expect(
      (await call('residentA', 'POST', `/me/needs/${id}/rating`, { rating: 1 })).statusCode,
    ).toBe(409);
    expect(
      (await call('residentB', 'POST', `/me/needs/${id}/rating`, { rating: 1 })).statusCode,
    ).toBe(404);
    const visit = await call('communityWorker1', 'POST', `/needs/${id}/visit`, {
      note: '电话回访，满意',
    });
    expect(visit.json().visitNote).toBe('电话回访，满意');
    const h = (await call('residentA', 'GET', `/me/needs/${id}`)).json().history;
    expect(h.map((e: { action: string }) => e.action)).toEqual([
      'received',
      'dispatched',
      'accepted',
      'replied',
      'closed',
      'rated',
      'visited',
    ]);
    const staffHist = (await call('gridWorker1', 'GET', `/needs/${id}`)).json().history;
    expect(staffHist.find((e: { action: string }) => e.action === 'accepted').actorId).toBe(
      w.users.gridWorker1.id,
    );
  });

  it('the resident reopens within 7 days, not after; the clock starts again', async () => {
    const id = (
      await file('residentA', { serviceCode: 'policy', description: text('怎么开居住证明') })
    ).json().id;
    const smsBefore = t.sms.sent.length;
    await call('communityWorker1', 'POST', `/needs/${id}/reply`, { reply: '带身份证到社区办理。' });
    // No WeChat grant for need_replied: the requester is told by SMS (ADR 0033).
    expect(t.sms.sent.slice(smsBefore)).toEqual([
      { to: w.users.residentA.phone, text: expect.stringMatching(/诉求有了答复/) },
    ]);
    await call('communityWorker1', 'POST', `/needs/${id}/close`, {});
    const re = await call('residentA', 'POST', `/me/needs/${id}/reopen`, {
      reason: '去了说还要户口本',
    });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json().status).toBe('reopened');
    expect(re.json().reply).toBeNull();
    await call('communityWorker1', 'POST', `/needs/${id}/reply`, { reply: '是的，也请带户口本。' });
    await call('communityWorker1', 'POST', `/needs/${id}/close`, {});
    await advance(8 * 86_400_000);
    const late = await call('residentA', 'POST', `/me/needs/${id}/reopen`, { reason: '还是不行' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/7 days/);
  });

  it('forward (reason recorded), return to the office, dispatch, decline by the office only', async () => {
    const id = (
      await file('residentA', {
        serviceCode: 'noise',
        description: text('楼上夜间装修'),
        attributes: { source: 'renovation' },
      })
    ).json().id;
    expect(
      (await call('gridWorker1', 'POST', `/needs/${id}/forward`, { party: 'community_office' }))
        .statusCode,
    ).toBe(400);
    const fw = (
      await call('gridWorker1', 'POST', `/needs/${id}/forward`, {
        party: 'police',
        reason: '涉及治安，请警务室处理',
      })
    ).json();
    expect(fw.party).toBe('police');
    expect(fw.handoffs[0].adapter).toBe('local');
    expect(fw.history.at(-1).note).toContain('涉及治安');
    expect(
      (
        await call('communityWorker1', 'POST', `/needs/${id}/dispatch`, { party: 'grid_worker' })
      ).json().assigneeId,
    ).toBe(w.users.gridWorker1.id);
    const back = (
      await call('gridWorker1', 'POST', `/needs/${id}/return`, { reason: '不是本网格的事' })
    ).json();
    expect(back.status).toBe('received');
    expect(back.assigneeId).toBeNull();
    expect(
      (await call('gridWorker1', 'POST', `/needs/${id}/decline`, { reason: 'x' })).statusCode,
    ).toBe(403);
    const d = (
      await call('communityWorker1', 'POST', `/needs/${id}/decline`, {
        reason: '属于物业合同纠纷，请联系物业',
      })
    ).json();
    expect(d.status).toBe('declined');
    expect((await call('residentA', 'GET', `/me/needs/${id}`)).json().reply).toBe(
      '属于物业合同纠纷，请联系物业',
    );
  });

  it('refuses a duplicate (same person, type, place, similar text within 24 h)', async () => {
    const body = {
      serviceCode: 'repair',
      description: text('1栋1单元的楼道灯坏了三天了'),
      attributes: { facility: 'lights' },
    };
    expect((await file('residentA', body)).statusCode).toBe(201);
    const again = await file('residentA', { ...body, description: `${body.description}！` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/similar request/);
    expect(
      (await file('residentA', { ...body, description: text('电梯按钮失灵') })).statusCode,
    ).toBe(201);
    await advance(25 * 3600_000);
    expect((await file('residentA', body)).statusCode).toBe(201);
  });

  it('the desk files for a walk-in: name and phone through the vault, linked to an account by phone', async () => {
    const before = await count();
    const r = await call('hallStaff1', 'POST', `/halls/${w.hall1}/needs`, {
      serviceCode: 'social_security',
      description: text('咨询养老金认证'),
      attributes: { topic: 'pension' },
      contactName: '王大爷',
      contactPhone: '13812345678',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().channel).toBe('desk');
    expect(r.json().contactPhone).toBe('138****5678');
    const row = await t.database.db
      .selectFrom('needs')
      .selectAll()
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(row.phone_cipher).not.toContain('13812345678');
    expect(row.hall_id).toBe(w.hall1);
    expect(await count()).toBe(before + 1);
    // The hall sees what it took in; a resident of the same phone would see it in the app.
    expect((await call('hallStaff1', 'GET', `/needs/${r.json().id}`)).statusCode).toBe(200);
    const linked = await call('hallStaff1', 'POST', `/halls/${w.hall1}/needs`, {
      serviceCode: 'policy',
      description: text('帮张阿姨问低保政策'),
      contactName: '张阿姨',
      contactPhone: '13800000001',
    });
    const mine = (await call('residentA', 'GET', '/me/needs'))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(mine).toContain(linked.json().id);
    expect(
      (
        await call('hallStaff1', 'POST', `/halls/${w.hall2}/needs`, {
          serviceCode: 'policy',
          description: 'x',
          contactName: 'a',
          contactPhone: '13812345678',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('bad input: unknown type, no place, too long, bad photo; nothing is half-written', async () => {
    const before = await count();
    const unknown = await file('residentA', { serviceCode: 'nope', description: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/No service with code "nope"/);
    const long = await file('residentA', { serviceCode: 'policy', description: '长'.repeat(4001) });
    expect(long.statusCode).toBe(400);
    const attr = await file('residentA', {
      serviceCode: 'repair',
      description: text('坏了'),
      attributes: { facility: 'moon' },
    });
    expect(attr.statusCode).toBe(400);
    expect(attr.json().error.message).toMatch(/must be one of/);
    const missing = await file('residentA', { serviceCode: 'repair', description: text('坏了') });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/required/);
    // A photo id that is not the caller's: the whole request is refused, not stored without it.
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/needs/photos',
      headers: { ...auth(w, 'residentB'), 'content-type': 'image/png' },
      payload: PNG,
    });
    const stolen = await file('residentA', {
      serviceCode: 'policy',
      description: text('问问'),
      photoIds: [up.json().id],
    });
    expect(stolen.statusCode).toBe(400);
    expect(await count()).toBe(before);
    const gif = await t.app.inject({
      method: 'POST',
      url: '/api/v1/needs/photos',
      headers: { ...auth(w, 'residentA'), 'content-type': 'image/png' },
      payload: Buffer.from('GIF89a....'),
    });
    expect(gif.statusCode).toBe(415);
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/needs/photos',
      headers: { ...auth(w, 'residentA'), 'content-type': 'image/jpeg' },
      payload: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]),
    });
    expect(big.statusCode).toBe(413);
  });

  it('an urgent request texts its grid worker at once', async () => {
    t.sms.sent.length = 0;
    const r = await file('residentA', {
      serviceCode: 'safety_hazard',
      description: text('消防通道被电动车堵死'),
      attributes: { hazard: 'fire_exit' },
    });
    expect(r.statusCode).toBe(201);
    expect(Date.parse(r.json().dueAt) - Date.parse(r.json().receivedAt)).toBe(24 * 3600_000);
    expect(t.sms.sent.map((s) => s.to)).toEqual([w.users.gridWorker1.phone]);
    expect(t.sms.sent[0]!.text).toMatch(/紧急诉求/);
    expect(t.sms.sent[0]!.text).not.toMatch(/1380000/);
  });

  it('the per-phone daily limit holds across channels', async () => {
    await t.database.db.deleteFrom('rate_counters').execute();
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push(
        (
          await file('residentC', {
            serviceCode: 'suggestion',
            description: Array.from({ length: 12 }, (_, k) =>
              String.fromCharCode(0x4e00 + i * 97 + k * 7),
            ).join(''),
          })
        ).statusCode,
      );
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
  });

  it('rates per community, grid and assignee over a period', async () => {
    const from = new Date(t.clock.now() - 30 * 86_400_000).toISOString();
    const to = new Date(t.clock.now() + 1000).toISOString();
    const r = await call(
      'communityWorker1',
      'GET',
      `/needs/rates?from=${from}&to=${to}&by=assignee`,
    );
    expect(r.statusCode, r.body).toBe(200);
    const gw = r.json().rows.find((x: { key: string }) => x.key === w.users.gridWorker1.id);
    expect(gw.received).toBeGreaterThan(0);
    expect(gw.satisfactionRate).toBe(1);
    const c = (await call('communityWorker1', 'GET', `/needs/rates?from=${from}&to=${to}`)).json()
      .rows;
    expect(c.map((x: { key: string }) => x.key)).toEqual([w.community1]);
    expect(
      (
        await call(
          'communityWorker2',
          'GET',
          `/needs/rates?from=${from}&to=${to}&communityId=${w.community1}`,
        )
      ).statusCode,
    ).toBe(404);
  });
});
