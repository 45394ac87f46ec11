import { expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';

describeEachDialect('users and role grants', (dialect) => {
  const { t, w } = useWorld(dialect, { each: true });

  const req = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    who: Parameters<typeof auth>[1],
    payload?: object,
  ) => t.app.inject({ method, url, headers: auth(w, who), ...(payload ? { payload } : {}) });

  it('a community worker creates a resident of a unit in their community, audited, with the phone masked', async () => {
    const r = await req('POST', '/api/v1/users', 'communityWorker1', {
      displayName: '赵大爷',
      phone: '13511112222',
      grant: { role: 'resident', scopeKind: 'unit', scopeId: w.unitA },
    });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.phone).toBe('135****2222');
    expect(body.grants[0]).toMatchObject({
      role: 'resident',
      scopeKind: 'unit',
      scopeId: w.unitA,
      communityId: w.community1,
    });
    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', body.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['user.create']);
    expect(audit[0]!.detail).not.toContain('13511112222');

    const dup = await req('POST', '/api/v1/users', 'communityWorker1', {
      displayName: '赵大爷',
      phone: '135-1111-2222',
      grant: { role: 'resident', scopeKind: 'unit', scopeId: w.unitB },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('cannot create or grant outside the places one manages', async () => {
    const other = await req('POST', '/api/v1/users', 'communityWorker2', {
      displayName: 'x',
      phone: '13511113333',
      grant: { role: 'resident', scopeKind: 'unit', scopeId: w.unitA },
    });
    expect(other.statusCode).toBe(403);
    const escalate = await req(
      'POST',
      `/api/v1/users/${w.users.residentA.id}/grants`,
      'communityWorker1',
      { role: 'operator_admin', scopeKind: 'subdistrict', scopeId: w.subdistrict },
    );
    expect(escalate.statusCode).toBe(403);
    const officerMakesAdmin = await req(
      'POST',
      `/api/v1/users/${w.users.residentA.id}/grants`,
      'officer',
      { role: 'operator_admin', scopeKind: 'subdistrict', scopeId: w.subdistrict },
    );
    expect(officerMakesAdmin.statusCode).toBe(403);
    const wrongKind = await req(
      'POST',
      `/api/v1/users/${w.users.residentA.id}/grants`,
      'communityWorker1',
      { role: 'resident', scopeKind: 'community', scopeId: w.community1 },
    );
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error.message).toMatch(/resident is granted on a unit/);
  });

  it('grants are idempotent and removable, and a removed role stops working at once', async () => {
    const add = await req(
      'POST',
      `/api/v1/users/${w.users.residentB.id}/grants`,
      'communityWorker1',
      { role: 'grid_worker', scopeKind: 'grid', scopeId: w.grid1 },
    );
    expect(add.statusCode).toBe(201);
    const again = await req(
      'POST',
      `/api/v1/users/${w.users.residentB.id}/grants`,
      'communityWorker1',
      { role: 'grid_worker', scopeKind: 'grid', scopeId: w.grid1 },
    );
    expect(again.json().id).toBe(add.json().id);

    const resident = w.users.residentA;
    const me = await req('GET', '/api/v1/me', 'residentA');
    const grantId = me.json().grants[0].id;
    expect((await req('GET', `/api/v1/units/${w.unitA}`, 'residentA')).statusCode).toBe(200);
    expect(
      (await req('DELETE', `/api/v1/users/${resident.id}/grants/${grantId}`, 'communityWorker1'))
        .statusCode,
    ).toBe(204);
    expect((await req('GET', `/api/v1/units/${w.unitA}`, 'residentA')).statusCode).toBe(403);
  });

  it('lists only users with roles in my places, phones masked', async () => {
    const r = await req('GET', '/api/v1/users', 'communityWorker2');
    expect(r.statusCode).toBe(200);
    const ids = r.json().map((u: { id: string }) => u.id);
    expect(ids).toContain(w.users.residentC.id);
    expect(ids).not.toContain(w.users.residentA.id);
    for (const u of r.json()) if (u.phone) expect(u.phone).toMatch(/^\d{3}\*{4}\d{4}$/);

    const all = await req('GET', '/api/v1/users?role=resident', 'admin');
    expect(
      all
        .json()
        .map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual([w.users.residentA.id, w.users.residentB.id, w.users.residentC.id].sort());
  });

  it('finds an account by phone for managers only, and hides users outside the scope', async () => {
    const found = await req('POST', '/api/v1/users/lookup', 'communityWorker1', {
      phone: '13800000001',
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ id: w.users.residentA.id, phone: '138****0001' });
    expect(
      (await req('POST', '/api/v1/users/lookup', 'residentB', { phone: '13800000001' })).statusCode,
    ).toBe(403);
    expect(
      (await req('GET', `/api/v1/users/${w.users.residentC.id}`, 'communityWorker1')).statusCode,
    ).toBe(404);
    expect(
      (await req('GET', `/api/v1/users/${w.users.residentA.id}`, 'communityWorker1')).json().phone,
    ).toBe('138****0001');
  });

  it('disables an account, which then cannot call the API', async () => {
    const r = await req('PATCH', `/api/v1/users/${w.users.residentA.id}`, 'communityWorker1', {
      status: 'disabled',
    });
    expect(r.statusCode).toBe(200);
    expect((await req('GET', '/api/v1/me', 'residentA')).statusCode).toBe(401);
    expect(
      (
        await req('PATCH', `/api/v1/users/${w.users.communityWorker1.id}`, 'communityWorker1', {
          status: 'disabled',
        })
      ).statusCode,
    ).toBe(409);
  });
});
