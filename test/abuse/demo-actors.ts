/**
 * A light demo world for identity attacks: the Jinquan seed on a test app (no broker, no
 * agents), every demo role signed in for real (password or SMS code), and the ids an
 * attacker would aim at. Used by the takeover regressions and the stateful attack suite.
 */
import { seedDemo } from '../../src/demo/seed.ts';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { buildTestApp, type Dialect, type TestApp } from '../harness.ts';

/** Demo staff who act in the attacks (each community has its worker, a grid worker and hall staff). */
export const DEMO_STAFF = [
  'admin',
  'jq.officer',
  'qsh.worker',
  'sx.worker',
  'qsh.grid1',
  'sx.grid1',
  'qsh.hall',
  'sx.hall',
  'qsh.partner',
  'courier.zto',
  'courier.sf',
] as const;
/** Demo residents: qsh1, qsh2 live in 清水河, sx5, sx6 in 蜀西. */
export const DEMO_RESIDENTS = {
  qsh1: '13800000001',
  qsh2: '13800000002',
  sx5: '13800000005',
  sx6: '13800000006',
} as const;
export type DemoActor = (typeof DEMO_STAFF)[number] | keyof typeof DEMO_RESIDENTS;
export const DEMO_ACTORS: readonly DemoActor[] = [
  ...DEMO_STAFF,
  ...(Object.keys(DEMO_RESIDENTS) as (keyof typeof DEMO_RESIDENTS)[]),
];

export interface DemoWorld {
  t: TestApp;
  tokens: Record<DemoActor, string>;
  userIds: Record<DemoActor, string>;
  ids: {
    subdistrict: string;
    qsh: string;
    sx: string;
    qshUnit: string;
    sxUnit: string;
    qshGrid: string;
    sxGrid: string;
    qshHall: string;
    sxHall: string;
  };
  call(
    who: DemoActor,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<{ statusCode: number; body: string; json(): any }>;
}

/** Seed the demo on a fresh test app of the dialect and sign every actor in. */
export async function buildDemoWorld(dialect: Dialect): Promise<DemoWorld> {
  const t = await buildTestApp(dialect);
  await seedDemo(t.deps);
  const db = t.database.db;
  const tokens = {} as Record<DemoActor, string>;
  const inject = (method: string, url: string, payload?: object, token?: string) =>
    t.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(payload ? { payload } : {}),
    });
  for (const u of DEMO_STAFF) {
    const r = await inject('POST', '/auth/login', { username: u, password: DEMO_PASSWORD });
    if (r.statusCode !== 200) throw new Error(`login ${u}: ${r.body}`);
    tokens[u] = r.json().accessToken;
  }
  for (const [k, phone] of Object.entries(DEMO_RESIDENTS) as [
    keyof typeof DEMO_RESIDENTS,
    string,
  ][]) {
    await inject('POST', '/auth/otp', { phone });
    const r = await inject('POST', '/auth/otp/verify', { phone, code: t.sms.lastCode(phone) });
    if (r.statusCode !== 200) throw new Error(`otp ${k}: ${r.body}`);
    tokens[k] = r.json().accessToken;
  }
  const userIds = {} as Record<DemoActor, string>;
  for (const a of DEMO_ACTORS)
    userIds[a] = (await inject('GET', '/me', undefined, tokens[a])).json().id;
  const community = async (name: string) =>
    (
      await db
        .selectFrom('communities')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;
  const qsh = await community('清水河社区');
  const sx = await community('蜀西社区');
  // Places named by who holds a role there (never "the first by id": ids are random, and a replay must meet the same world).
  const scopeOf = async (who: DemoActor) =>
    (
      await db
        .selectFrom('role_grants')
        .select('scope_id')
        .where('user_id', '=', userIds[who])
        .executeTakeFirstOrThrow()
    ).scope_id;
  const ids = {
    subdistrict: await scopeOf('jq.officer'),
    qsh,
    sx,
    qshUnit: await scopeOf('qsh1'),
    sxUnit: await scopeOf('sx5'),
    qshGrid: await scopeOf('qsh.grid1'),
    sxGrid: await scopeOf('sx.grid1'),
    qshHall: await scopeOf('qsh.hall'),
    sxHall: await scopeOf('sx.hall'),
  };
  return {
    t,
    tokens,
    userIds,
    ids,
    call: (who, method, url, payload) => inject(method, url, payload, tokens[who]),
  };
}
