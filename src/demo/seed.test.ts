/** The Jinquan demo seed: the expected world on first run, nothing on the second, and working logins. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, describeEachDialect, type TestApp } from '../../test/harness.ts';
import { DEMO_PASSWORD } from './jinquan.ts';
import { printDemoLogins } from './logins.ts';
import { type DemoSummary, seedDemo } from './seed.ts';

describeEachDialect('demo seed', (dialect) => {
  let t: TestApp;
  let summary: DemoSummary | null;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    summary = await seedDemo(t.deps);
  }, 60_000);
  afterAll(async () => t?.close());

  const count = async (
    table:
      | 'subdistricts'
      | 'communities'
      | 'compounds'
      | 'grids'
      | 'buildings'
      | 'units'
      | 'halls'
      | 'locker_sites'
      | 'police_contacts'
      | 'carriers'
      | 'users'
      | 'role_grants',
  ) =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates Jinquan with two communities, a locker at every unit door and one account per demo role', async () => {
    expect(summary).not.toBeNull();
    const expected = {
      communities: 2,
      compounds: 2,
      grids: 8,
      buildings: 60,
      units: 160,
      halls: 2,
      lockerSites: 160,
      policeContacts: 4,
      carriers: 8,
    };
    expect(summary!.counts).toMatchObject(expected);
    expect({
      communities: await count('communities'),
      compounds: await count('compounds'),
      grids: await count('grids'),
      buildings: await count('buildings'),
      units: await count('units'),
      halls: await count('halls'),
      lockerSites: await count('locker_sites'),
      policeContacts: await count('police_contacts'),
      carriers: await count('carriers'),
    }).toEqual(expected);
    expect(await count('subdistricts')).toBe(1);
    // 4 managers + 8 grid workers + 2 hall staff + 1 partner + 8 couriers + 6 residents.
    expect(await count('users')).toBe(29);
    expect(summary!.counts.users).toBe(29);
    expect(await count('role_grants')).toBe(29);

    const db = t.database.db;
    const unassigned = await db
      .selectFrom('buildings')
      .select('id')
      .where('grid_id', 'is', null)
      .execute();
    expect(unassigned).toEqual([]);
    const qsh = await db
      .selectFrom('communities')
      .selectAll()
      .where('name', '=', '清水河社区')
      .executeTakeFirstOrThrow();
    const households = await db
      .selectFrom('units')
      .select((e) => e.fn.sum<number>('households').as('n'))
      .where('community_id', '=', qsh.id)
      .executeTakeFirstOrThrow();
    expect(Number(households.n) * 2.8).toBeGreaterThan(23_000);
    const halls = await db
      .selectFrom('halls')
      .select(['name', 'opening_hours'])
      .orderBy('name')
      .execute();
    expect(halls.map((h) => h.opening_hours)).toEqual(['08:00-21:00', '08:00-21:00']);
    const codes = (
      await db.selectFrom('carriers').select(['code', 'kind']).orderBy('code').execute()
    ).map((c) => `${c.code}:${c.kind}`);
    expect(codes).toEqual([
      'eleme:takeout',
      'ems:express',
      'jd:express',
      'meituan:takeout',
      'sf:express',
      'yto:express',
      'yunda:express',
      'zto:express',
    ]);
    // Phones are stored only encrypted and hashed (8 couriers, 6 residents, the partner).
    const stored = await db
      .selectFrom('users')
      .select(['phone_cipher', 'phone_hash'])
      .where('phone_hash', 'is not', null)
      .execute();
    expect(stored).toHaveLength(15);
    // The money side is alive: rules on both halls, the partner's agreement, two proposals with support.
    expect(
      await db.selectFrom('ledger_distribution_rules').select('hall_id').execute(),
    ).toHaveLength(4);
    expect(await db.selectFrom('partner_agreements').select('shares').execute()).toEqual([
      { shares: 20 },
    ]);
    expect(
      (
        await db
          .selectFrom('fund_proposals')
          .select(['title', 'supports'])
          .orderBy('title')
          .execute()
      )
        .map((p) => p.supports)
        .sort(),
    ).toEqual([1, 3]);
    for (const u of stored) expect(JSON.stringify(u)).not.toMatch(/1[38]\d{9}/);
  });

  it('does nothing the second time', async () => {
    expect(await seedDemo(t.deps)).toBeNull();
    expect(await count('subdistricts')).toBe(1);
    expect(await count('units')).toBe(160);
    expect(await count('users')).toBe(29);
  });

  it('lets a demo community worker sign in and see their community, and only theirs', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'qsh.worker', password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    const db = t.database.db;
    const qsh = await db
      .selectFrom('communities')
      .select('id')
      .where('name', '=', '清水河社区')
      .executeTakeFirstOrThrow();
    const sx = await db
      .selectFrom('communities')
      .select('id')
      .where('name', '=', '蜀西社区')
      .executeTakeFirstOrThrow();
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/communities/${qsh.id}`,
      headers,
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().counts).toEqual({
      compounds: 1,
      grids: 5,
      buildings: 40,
      units: 120,
      halls: 1,
      lockerSites: 120,
      policeContacts: 2,
    });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${sx.id}`, headers }))
        .statusCode,
    ).toBe(404);

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'qsh.worker', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('lists every demo login, and prints the same list on later runs', () => {
    const usernames = summary!.staff.map((s) => s.username);
    expect(usernames).toEqual(
      expect.arrayContaining([
        'admin',
        'qsh.worker',
        'sx.worker',
        'jq.officer',
        'qsh.grid1',
        'qsh.grid5',
        'sx.grid3',
        'qsh.hall',
        'sx.hall',
        'qsh.partner',
        'courier.zto',
        'courier.meituan',
      ]),
    );
    expect(summary!.residents[0]).toEqual({
      phone: '13800000001',
      displayName: '张阿姨',
      unit: '清水河社区 清淳家园 1栋1单元',
    });
    const text = printDemoLogins(summary);
    expect(text).toContain(DEMO_PASSWORD);
    expect(text).toContain('13800000001  张阿姨');
    expect(printDemoLogins(null)).toBe(text);
  });
});
