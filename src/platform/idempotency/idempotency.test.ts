/** Idempotency-Key over HTTP, through real mutating routes: one side effect per key, replay, reuse, races, failures, docs. */
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { auth, signToken, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { mqttHookSecret } from '../../modules/lockers/mqtt-auth.routes.ts';
import { requestFingerprint } from './fingerprint.ts';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS } from './idempotency.plugin.ts';
import { claimKey, sweepIdempotencyKeys } from './idempotency.repository.ts';

describeEachDialect('idempotency keys', (dialect) => {
  const { t, w } = useWorld(dialect);

  const call = (
    who: WorldUser,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
    key?: string,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...auth(w, who), ...(key !== undefined ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });
  const gridsNamed = async (name: string) =>
    (await t.database.db.selectFrom('grids').select('id').where('name', '=', name).execute())
      .length;
  const keyRows = async (key: string) =>
    t.database.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).execute();

  it('runs a retried create once and replays the first response exactly, marked as a replay', async () => {
    const first = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '重试网格', servicePhone: '028-80000009' },
      'grid-create-1',
    );
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same request, keys in another order: still the same request.
    const again = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { servicePhone: '028-80000009', name: '重试网格' },
      'grid-create-1',
    );
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.body).toBe(first.body);
    expect(await gridsNamed('重试网格')).toBe(1);
    // Without a key the same request is a second attempt, refused by the unique name.
    expect(
      (
        await call('communityWorker1', 'POST', `/communities/${w.community1}/grids`, {
          name: '重试网格',
          servicePhone: '028-80000009',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('refuses the same key with a different request (422) and changes nothing', async () => {
    const first = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '甲网格' },
      'grid-create-2',
    );
    expect(first.statusCode).toBe(201);
    const other = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '乙网格' },
      'grid-create-2',
    );
    expect(other.statusCode).toBe(422);
    expect(other.json().error.message).toMatch(/already used for a different request/);
    expect(await gridsNamed('乙网格')).toBe(0);
    // The URL is part of the request too.
    expect(
      (
        await call(
          'admin',
          'POST',
          `/communities/${w.community1}/grids`,
          { name: '戊网格' },
          'grid-create-3',
        )
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call(
          'admin',
          'POST',
          `/communities/${w.community2}/grids`,
          { name: '戊网格' },
          'grid-create-3',
        )
      ).statusCode,
    ).toBe(422);
    expect(await gridsNamed('戊网格')).toBe(1);
  });

  it('lets exactly one of five concurrent duplicates run; the rest wait (409, Retry-After) or get the replay', async () => {
    const all = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(
          'communityWorker1',
          'POST',
          `/communities/${w.community1}/grids`,
          { name: '并发网格' },
          'grid-race-1',
        ),
      ),
    );
    const ran = all.filter(
      (r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined,
    );
    expect(ran).toHaveLength(1);
    for (const r of all.filter((x) => x !== ran[0])) {
      if (r.statusCode === 409) {
        expect(r.headers['retry-after']).toBe('1');
        expect(r.json().error.message).toMatch(/still being processed/);
      } else {
        expect(r.statusCode).toBe(201);
        expect(r.headers['idempotent-replayed']).toBe('true');
        expect(r.body).toBe(ran[0]!.body);
      }
    }
    expect(await gridsNamed('并发网格')).toBe(1);
  });

  it('answers 409 with Retry-After while the first request runs, and takes over a claim abandoned by a crashed node', async () => {
    const url = `/communities/${w.community1}/grids`;
    const ref = {
      caller: `user:${w.users.communityWorker1.id}`,
      route: 'POST /api/v1/communities/:communityId/grids',
      key: 'grid-inflight-1',
    };
    await claimKey(
      t.database.db,
      t.clock,
      ref,
      requestFingerprint('POST', `/api/v1${url}`, { name: '己网格' }),
      { ttlMs: IDEMPOTENCY_TTL_MS, leaseMs: IDEMPOTENCY_LEASE_MS },
    );
    const busy = await call('communityWorker1', 'POST', url, { name: '己网格' }, 'grid-inflight-1');
    expect([busy.statusCode, busy.headers['retry-after'], busy.json().error.code]).toEqual([
      409,
      '1',
      'conflict',
    ]);
    expect(await gridsNamed('己网格')).toBe(0);
    t.clock.advance(IDEMPOTENCY_LEASE_MS + 1);
    const taken = await call(
      'communityWorker1',
      'POST',
      url,
      { name: '己网格' },
      'grid-inflight-1',
    );
    expect(taken.statusCode).toBe(201);
    expect(await gridsNamed('己网格')).toBe(1);
  });

  it('scopes keys by caller and route: another user, or another route, with the same key is independent', async () => {
    const mine = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '丙网格' },
      'shared-key-1',
    );
    const theirs = await call(
      'admin',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '丁网格' },
      'shared-key-1',
    );
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    const otherRoute = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/compounds`,
      { name: '新小区', address: '金泉街道1号' },
      'shared-key-1',
    );
    expect(otherRoute.statusCode).toBe(201);
    expect(await keyRows('shared-key-1')).toHaveLength(3);
  });

  it('scopes keys on public routes by client address', async () => {
    const hook = {
      authorization: `Bearer ${mqttHookSecret(t.deps.config.secrets.tokenKey)}`,
      'idempotency-key': 'broker-1',
    };
    const payload = { username: 'nobody', password: 'wrong', clientid: 'nobody' };
    const send = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/mqtt/auth',
        headers: hook,
        payload,
        remoteAddress: ip,
      });
    expect((await send('10.0.0.1')).headers['idempotent-replayed']).toBeUndefined();
    expect((await send('10.0.0.1')).headers['idempotent-replayed']).toBe('true');
    expect((await send('10.0.0.2')).headers['idempotent-replayed']).toBeUndefined();
    expect((await keyRows('broker-1')).map((r) => r.caller).sort()).toEqual([
      'ip:10.0.0.1',
      'ip:10.0.0.2',
    ]);
  });

  it('stores final 4xx answers and empty 204s, and replays them', async () => {
    const dup = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '第一网格' },
      'dup-name-1',
    );
    expect(dup.statusCode).toBe(409);
    const dupAgain = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '第一网格' },
      'dup-name-1',
    );
    expect([dupAgain.statusCode, dupAgain.headers['idempotent-replayed'], dupAgain.body]).toEqual([
      409,
      'true',
      dup.body,
    ]);

    const grant = await call('communityWorker1', 'POST', `/users/${w.users.residentB.id}/grants`, {
      role: 'grid_worker',
      scopeKind: 'grid',
      scopeId: w.grid1,
    });
    expect(grant.statusCode).toBe(201);
    const url = `/users/${w.users.residentB.id}/grants/${grant.json().id}`;
    const del = await call('communityWorker1', 'DELETE', url, undefined, 'del-grant-1');
    expect(del.statusCode).toBe(204);
    const delAgain = await call('communityWorker1', 'DELETE', url, undefined, 'del-grant-1');
    expect([delAgain.statusCode, delAgain.headers['idempotent-replayed'], delAgain.body]).toEqual([
      204,
      'true',
      '',
    ]);
    expect((await call('communityWorker1', 'DELETE', url)).statusCode).toBe(404);
  });

  it('releases the key after a 5xx, so the retry runs again', async () => {
    await sql`alter table grids rename to grids_away`.execute(t.database.db);
    const failed = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '失败后重试' },
      'grid-5xx-1',
    );
    await sql`alter table grids_away rename to grids`.execute(t.database.db);
    expect(failed.statusCode).toBe(500);
    expect(await keyRows('grid-5xx-1')).toHaveLength(0);
    const retry = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '失败后重试' },
      'grid-5xx-1',
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await keyRows('grid-5xx-1')).toMatchObject([{ state: 'completed', status_code: 201 }]);
  });

  it('rejects malformed keys with a 400 before anything runs', async () => {
    for (const key of ['has space', 'x'.repeat(129), 'clé', '']) {
      const r = await call(
        'communityWorker1',
        'POST',
        `/communities/${w.community1}/grids`,
        { name: '坏钥匙网格' },
        key,
      );
      expect(r.statusCode, key).toBe(400);
      expect(r.json().error.code).toBe('validation_failed');
      expect(r.json().error.message).toMatch(/idempotency-key/i);
    }
    expect(await gridsNamed('坏钥匙网格')).toBe(0);
    expect(
      (
        await call(
          'communityWorker1',
          'POST',
          `/communities/${w.community1}/grids`,
          { name: '好钥匙网格' },
          'x'.repeat(128),
        )
      ).statusCode,
    ).toBe(201);
  });

  it('ignores keys on reads and on routes whose responses are secrets', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await call(
        'communityWorker1',
        'GET',
        `/communities/${w.community1}/grids`,
        undefined,
        'read-key-1',
      );
      expect(r.statusCode).toBe(200);
      expect(r.headers['idempotent-replayed']).toBeUndefined();
    }
    for (let i = 0; i < 2; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'idempotency-key': 'login-1' },
        payload: { username: 'admin', password: 'not-the-password' },
      });
      expect(r.statusCode).toBe(401);
      expect(r.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(await keyRows('read-key-1')).toHaveLength(0);
    expect(await keyRows('login-1')).toHaveLength(0);
  });

  it('forgets keys after 24 hours, and the sweeper deletes them', async () => {
    const first = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '旧钥匙网格' },
      'old-key-1',
    );
    expect(first.statusCode).toBe(201);
    t.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    const me = w.users.communityWorker1;
    me.token = await signToken(t, me.id); // the old one expired too
    const reused = await call(
      'communityWorker1',
      'POST',
      `/communities/${w.community1}/grids`,
      { name: '旧钥匙新网格' },
      'old-key-1',
    );
    expect(reused.statusCode).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    const before = await t.database.db.selectFrom('idempotency_keys').select('key').execute();
    const swept = await sweepIdempotencyKeys(t.database.db, t.clock, IDEMPOTENCY_TTL_MS);
    const left = (await t.database.db.selectFrom('idempotency_keys').select('key').execute()).map(
      (r) => r.key,
    );
    expect(swept).toBe(before.length - 1);
    expect(left).toEqual(['old-key-1']);
  });

  it('documents the optional header on every mutating API route, and only there', async () => {
    const doc = (await t.app.inject('/docs/json')).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: {
              in: string;
              name: string;
              required?: boolean;
              schema: Record<string, unknown>;
            }[];
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const header = (path: string, method: string) =>
      doc.paths[path]?.[method]?.parameters?.find(
        (p) => p.in === 'header' && p.name === 'idempotency-key',
      );
    const grids = header('/api/v1/communities/{communityId}/grids', 'post');
    expect(grids).toMatchObject({
      required: false,
      schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
    });
    expect(
      doc.paths['/api/v1/communities/{communityId}/grids']!['post']!.responses['422'],
    ).toBeDefined();
    expect(header('/api/v1/communities/{communityId}/grids', 'get')).toBeUndefined();
    expect(header('/api/v1/users/{userId}/grants/{grantId}', 'delete')).toBeDefined();
    // A route's own, stricter definition is kept.
    expect(
      header('/api/v1/lockers/{lockerId}/compartments/{number}/open', 'post')?.schema,
    ).toMatchObject({ minLength: 8 });
    expect(header('/api/v1/auth/login', 'post')).toBeUndefined();
    expect(header('/api/v1/lockers/provision', 'post')).toBeUndefined();
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (
        !path.startsWith('/api/') ||
        path.startsWith('/api/v1/auth/') ||
        path.includes('provision')
      )
        continue;
      for (const m of ['post', 'put', 'patch', 'delete'])
        if (ops[m]) expect(header(path, m), `${m} ${path}`).toBeDefined();
    }
  });
});
