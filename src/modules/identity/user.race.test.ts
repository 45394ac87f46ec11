/**
 * Two platform admins acting on each other at the same instant (docs/security.md, "Known
 * weaknesses", until this test): each request was authorised with its grants as read at
 * sign-in, so both disables (or both role removals) went through and left nobody to manage
 * the platform. Every user and grant change now locks the actor's and the target's rows and
 * reads the actor again in its own transaction (actorGrantsNow): exactly one change wins.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDemoWorld, type DemoWorld } from '../../../test/abuse/demo-actors.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import type { AppError } from '../../platform/errors.ts';
import { removeGrant } from './grant.service.ts';
import { grantsOfUser, toGrant } from './user.repository.ts';
import { updateUser } from './user.service.ts';

describeEachDialect('two admins acting on each other at once', (dialect) => {
  let w: DemoWorld;
  beforeAll(async () => {
    w = await buildDemoWorld(dialect);
  }, 60_000);
  afterAll(async () => w?.t.close());

  const inject = (token: string, method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) =>
    w.t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { payload: body } : {}),
    });

  /** A second platform admin made by the demo's, signed in. */
  const secondAdmin = async (username: string) => {
    const made = await w.call('admin', 'POST', '/users', {
      displayName: `平台管理员 ${username}`,
      username,
      password: 'second-admin-2026',
      grant: { role: 'operator_admin', scopeKind: 'platform', scopeId: 'platform' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const login = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: 'second-admin-2026' },
    });
    expect(login.statusCode, login.body).toBe(200);
    return { id: made.json().id as string, token: login.json().accessToken as string };
  };

  const activeAdmins = async () =>
    (
      await w.t.database.db
        .selectFrom('users as u')
        .innerJoin('role_grants as g', 'g.user_id', 'u.id')
        .select('u.id')
        .where('g.role', '=', 'operator_admin')
        .where('g.scope_kind', '=', 'platform')
        .where('u.status', '=', 'active')
        .execute()
    ).map((r) => r.id);

  /** A caller's grants as the auth layer hands them over (read before anything below ran). */
  const grantsAsAuthorised = async (userId: string) =>
    (await grantsOfUser(w.t.database.db, userId)).map(toGrant);

  it('a disable authorised before the actor was disabled is refused (stale grants)', async () => {
    const a = w.userIds.admin;
    const b = await secondAdmin('admin.b');
    // Both requests authenticated while both were active; a's change commits first.
    const aGrants = await grantsAsAuthorised(a);
    const bGrants = await grantsAsAuthorised(b.id);
    await updateUser(w.t.deps, a, aGrants, b.id, { status: 'disabled' });
    const late = await updateUser(w.t.deps, b.id, bGrants, a, { status: 'disabled' }).then(
      () => 'applied',
      (e: AppError) => `${e.code}: ${e.message}`,
    );
    expect(late).toMatch(/^forbidden: This account is disabled/);
    expect(await activeAdmins()).toEqual([a]);
  });

  it('a role removal authorised before the actor lost that role is refused (stale grants)', async () => {
    const a = w.userIds.admin;
    const c = await secondAdmin('admin.c');
    const aGrants = await grantsAsAuthorised(a);
    const cGrants = await grantsAsAuthorised(c.id);
    await removeGrant(w.t.deps, a, aGrants, c.id, cGrants[0]!.id);
    const late = await removeGrant(w.t.deps, c.id, cGrants, a, aGrants[0]!.id).then(
      () => 'applied',
      (e: AppError) => e.code,
    );
    expect(late).toBe('not_found');
    expect(await activeAdmins()).toEqual([a]);
  });

  it('over HTTP at the same instant: one change wins, one admin stays', async () => {
    const a = { id: w.userIds.admin, token: w.tokens.admin };
    const d = await secondAdmin('admin.d');
    const [ad, da] = await Promise.all([
      inject(a.token, 'PATCH', `/users/${d.id}`, { status: 'disabled' }),
      inject(d.token, 'PATCH', `/users/${a.id}`, { status: 'disabled' }),
    ]);
    const codes = [ad.statusCode, da.statusCode].sort();
    // The loser is refused by its session check (401) or inside the transaction (403).
    expect(codes[0], `${ad.body} | ${da.body}`).toBe(200);
    expect([401, 403]).toContain(codes[1]);
    expect(await activeAdmins()).toHaveLength(1);
  });
});
