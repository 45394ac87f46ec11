/**
 * Issue 13, findings 1 and 2, replayed against the demo roles: a community worker must not
 * take over an account by giving it a role in their own community (lookup → grant → GET →
 * PATCH disabled), nor widen their own or a colleague's role, nor touch an admin; and a
 * phone look-up finds only users with a role inside the caller's places.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildDemoWorld,
  DEMO_RESIDENTS,
  type DemoActor,
  type DemoWorld,
} from '../../../test/abuse/demo-actors.ts';
import { describeEachDialect } from '../../../test/harness.ts';

describeEachDialect('issue 13: managing users needs scope over all their roles', (dialect) => {
  let w: DemoWorld;
  beforeAll(async () => {
    w = await buildDemoWorld(dialect);
  }, 60_000);
  afterAll(async () => w?.t.close());

  const grantsOf = async (userId: string) =>
    w.t.database.db
      .selectFrom('role_grants')
      .select(['role', 'scope_kind', 'scope_id'])
      .where('user_id', '=', userId)
      .execute();

  it('finding 1: sx.worker cannot take over a 清水河 resident, the admin or the officer (lookup → grant → GET → PATCH disabled)', async () => {
    for (const victim of ['qsh2', 'admin', 'jq.officer'] as DemoActor[]) {
      const id = w.userIds[victim];
      const before = await grantsOf(id);
      if (victim === 'qsh2')
        expect(
          (await w.call('sx.worker', 'POST', '/users/lookup', { phone: DEMO_RESIDENTS.qsh2 }))
            .statusCode,
        ).toBe(404);
      expect((await w.call('sx.worker', 'GET', `/users/${id}`)).statusCode).toBe(404);
      const grant = await w.call('sx.worker', 'POST', `/users/${id}/grants`, {
        role: 'resident',
        scopeKind: 'unit',
        scopeId: w.ids.sxUnit,
      });
      expect(grant.statusCode, `${victim}: ${grant.body}`).toBe(404);
      expect(grant.json().error.message).toBe('That user was not found.');
      expect((await w.call('sx.worker', 'GET', `/users/${id}`)).statusCode).toBe(404);
      expect(
        (await w.call('sx.worker', 'PATCH', `/users/${id}`, { status: 'disabled' })).statusCode,
      ).toBe(404);
      expect(await grantsOf(id)).toEqual(before);
      expect((await w.call(victim, 'GET', '/me')).statusCode).toBe(200);
    }
  });

  it('finding 1: the same 404 whether the user exists outside my places or not at all', async () => {
    const ghost = await w.call(
      'sx.worker',
      'POST',
      '/users/0190f5c2-dead-7000-8000-00000000beef/grants',
      { role: 'resident', scopeKind: 'unit', scopeId: w.ids.sxUnit },
    );
    const real = await w.call('sx.worker', 'POST', `/users/${w.userIds.qsh1}/grants`, {
      role: 'resident',
      scopeKind: 'unit',
      scopeId: w.ids.sxUnit,
    });
    expect([ghost.statusCode, ghost.json()]).toEqual([real.statusCode, real.json()]);
  });

  it("finding 1: nobody widens their own role or a colleague's, nor revokes or disables someone they do not outrank", async () => {
    // A colleague made a community worker by a community worker, or an officer by an officer: refused (rank ceiling).
    const colleague = await w.call('qsh.worker', 'POST', `/users/${w.userIds.qsh1}/grants`, {
      role: 'community_worker',
      scopeKind: 'community',
      scopeId: w.ids.qsh,
    });
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json().error.message).toMatch(/ranked above a community_worker/);
    expect(
      (
        await w.call('jq.officer', 'POST', `/users/${w.userIds.qsh1}/grants`, {
          role: 'subdistrict_officer',
          scopeKind: 'subdistrict',
          scopeId: w.ids.subdistrict,
        })
      ).statusCode,
    ).toBe(403);
    // Oneself: no new role, no revoked role, no rename, no disable.
    expect(
      (
        await w.call('qsh.worker', 'POST', `/users/${w.userIds['qsh.worker']}/grants`, {
          role: 'grid_worker',
          scopeKind: 'grid',
          scopeId: w.ids.qshGrid,
        })
      ).statusCode,
    ).toBe(403);
    const mine = (await w.call('jq.officer', 'GET', '/me')).json().grants[0].id;
    expect(
      (await w.call('jq.officer', 'DELETE', `/users/${w.userIds['jq.officer']}/grants/${mine}`))
        .statusCode,
    ).toBe(403);
    expect(
      (await w.call('admin', 'PATCH', `/users/${w.userIds.admin}`, { status: 'disabled' }))
        .statusCode,
    ).toBe(409);
    // The officer outranks community workers but not the admin: cannot revoke or disable the admin.
    const adminGrant = (await w.call('admin', 'GET', '/me')).json().grants[0].id;
    expect(
      (await w.call('jq.officer', 'DELETE', `/users/${w.userIds.admin}/grants/${adminGrant}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await w.call('jq.officer', 'PATCH', `/users/${w.userIds.admin}`, { status: 'disabled' }))
        .statusCode,
    ).toBe(404);
    // A community worker cannot disable a peer of the same community (qsh.grid1 is below, qsh.worker's peer would be equal).
    expect(
      (
        await w.call('sx.worker', 'PATCH', `/users/${w.userIds['qsh.worker']}`, {
          status: 'disabled',
        })
      ).statusCode,
    ).toBe(404);
    expect((await w.call('admin', 'GET', '/me')).statusCode).toBe(200);
  });

  it('finding 1: a user with roles in two communities is managed by neither community worker, but by the officer and the admin', async () => {
    const id = w.userIds.sx6;
    const extra = await w.call('admin', 'POST', `/users/${id}/grants`, {
      role: 'resident',
      scopeKind: 'unit',
      scopeId: w.ids.qshUnit,
    });
    expect(extra.statusCode).toBe(201);
    for (const worker of ['qsh.worker', 'sx.worker'] as const) {
      expect((await w.call(worker, 'GET', `/users/${id}`)).statusCode).toBe(404);
      expect(
        (await w.call(worker, 'PATCH', `/users/${id}`, { status: 'disabled' })).statusCode,
      ).toBe(404);
      expect(
        (await w.call(worker, 'DELETE', `/users/${id}/grants/${extra.json().id}`)).statusCode,
      ).toBe(404);
      // Still visible in a look-up, showing only the roles inside the worker's community.
      const found = await w.call(worker, 'POST', '/users/lookup', { phone: DEMO_RESIDENTS.sx6 });
      expect(found.statusCode).toBe(200);
      expect(found.json().grants.map((g: { communityId: string }) => g.communityId)).toEqual([
        worker === 'qsh.worker' ? w.ids.qsh : w.ids.sx,
      ]);
    }
    const full = await w.call('jq.officer', 'GET', `/users/${id}`);
    expect(full.statusCode).toBe(200);
    expect(full.json().grants).toHaveLength(2);
    expect(
      (await w.call('admin', 'DELETE', `/users/${id}/grants/${extra.json().id}`)).statusCode,
    ).toBe(204);
    // Back to one community: its worker manages the user again, grants a role below their own, and disables.
    expect(
      (
        await w.call('sx.worker', 'POST', `/users/${id}/grants`, {
          role: 'grid_worker',
          scopeKind: 'grid',
          scopeId: w.ids.sxGrid,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await w.call('sx.worker', 'PATCH', `/users/${id}`, { status: 'disabled' })).statusCode,
    ).toBe(200);
    expect((await w.call('sx6', 'GET', '/me')).statusCode).toBe(401);
    expect(
      (await w.call('sx.worker', 'PATCH', `/users/${id}`, { status: 'active' })).statusCode,
    ).toBe(200);
  });

  it("finding 2: a community worker's phone look-up finds only users with a role in their places; others get the unknown-phone answer", async () => {
    const unknown = await w.call('sx.worker', 'POST', '/users/lookup', { phone: '13899999999' });
    const other = await w.call('sx.worker', 'POST', '/users/lookup', {
      phone: DEMO_RESIDENTS.qsh2,
    });
    expect(unknown.statusCode).toBe(404);
    expect([other.statusCode, other.json()]).toEqual([unknown.statusCode, unknown.json()]);
    const mine = await w.call('qsh.worker', 'POST', '/users/lookup', {
      phone: DEMO_RESIDENTS.qsh2,
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ id: w.userIds.qsh2, phone: '138****0002' });
    for (const who of ['jq.officer', 'admin'] as const)
      expect(
        (await w.call(who, 'POST', '/users/lookup', { phone: DEMO_RESIDENTS.qsh2 })).statusCode,
      ).toBe(200);
  });

  it('a resident who signed up by SMS (no role yet) is found by no office, and an office adopts them by creating the account', async () => {
    const phone = '13811112222';
    await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    const session = (
      await w.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/otp/verify',
        payload: { phone, code: w.t.sms.lastCode(phone) },
      })
    ).json();
    expect((await w.call('qsh.worker', 'POST', '/users/lookup', { phone })).statusCode).toBe(404);
    expect((await w.call('qsh.worker', 'GET', `/users/${session.userId}`)).statusCode).toBe(404);
    // A username (and so a password) is never set on an existing account: that would hand over the sign-in.
    const hijack = await w.call('qsh.worker', 'POST', '/users', {
      displayName: '冒名',
      phone,
      username: 'hijack.me',
      password: 'correct-horse-battery',
      grant: { role: 'resident', scopeKind: 'unit', scopeId: w.ids.qshUnit },
    });
    expect(hijack.statusCode).toBe(409);
    const adopted = await w.call('qsh.worker', 'POST', '/users', {
      displayName: '新住户',
      phone,
      grant: { role: 'resident', scopeKind: 'unit', scopeId: w.ids.qshUnit },
    });
    expect(adopted.statusCode).toBe(201);
    expect(adopted.json()).toMatchObject({ id: session.userId, displayName: '新住户' });
    expect((await w.call('qsh.worker', 'POST', '/users/lookup', { phone })).json().id).toBe(
      session.userId,
    );
    // Creating a placed account of another office again says only that it exists.
    const dup = await w.call('sx.worker', 'POST', '/users', {
      displayName: 'x',
      phone,
      grant: { role: 'resident', scopeKind: 'unit', scopeId: w.ids.sxUnit },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).not.toContain(session.userId);
  });
});
