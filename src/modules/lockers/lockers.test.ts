/** Staff locker APIs over HTTP: register, live state, remote open (audited, idempotent), disinfect, scope. */
import { expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { decodeCommand } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';

describeEachDialect('lockers API', (dialect) => {
  const { t, w } = useWorld(dialect);

  const call = (
    who: WorldUser,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...auth(w, who), ...headers },
      ...(payload ? { payload } : {}),
    });

  it('registers a locker at a site with its compartments; ids and numbers must be unique', async () => {
    const r = await call('communityWorker1', 'POST', `/locker-sites/${w.siteA}/lockers`, {
      id: 'qsh-b01-u1',
      name: '1栋1单元智能柜',
      compartments: demoLayout(24),
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      id: 'qsh-b01-u1',
      communityId: w.community1,
      siteId: w.siteA,
      status: 'provisioning',
      presence: 'unknown',
    });
    expect(
      (
        await call('communityWorker1', 'POST', `/locker-sites/${w.siteA}/lockers`, {
          id: 'qsh-b01-u1',
          name: 'x',
          compartments: demoLayout(2),
        })
      ).statusCode,
    ).toBe(409);
    const dupNumbers = await call('communityWorker1', 'POST', `/locker-sites/${w.siteB}/lockers`, {
      id: 'qsh-b02-u1',
      name: 'x',
      compartments: [
        { number: 1, size: 'S', kind: 'normal' },
        { number: 1, size: 'M', kind: 'normal' },
      ],
    });
    expect(dupNumbers.statusCode).toBe(400);
    expect(
      (
        await call('communityWorker2', 'POST', `/locker-sites/${w.siteA}/lockers`, {
          id: 'qsh-b01-u9',
          name: 'x',
          compartments: demoLayout(2),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('communityWorker1', 'POST', `/locker-sites/${w.siteA}/lockers`, {
          id: 'Bad Id!',
          name: 'x',
          compartments: demoLayout(2),
        })
      ).statusCode,
    ).toBe(400);
  });

  it('shows a community its lockers with counts, and one locker with live compartments', async () => {
    const list = await call('communityWorker1', 'GET', `/communities/${w.community1}/lockers`);
    expect(list.statusCode).toBe(200);
    expect(list.json()[0]).toMatchObject({
      id: 'qsh-b01-u1',
      counts: { compartments: 24, free: 24, doorsOpen: 0, openAlerts: 0 },
    });
    const one = await call('gridWorker1', 'GET', '/lockers/qsh-b01-u1');
    expect(one.statusCode).toBe(200);
    expect(one.json().compartments).toHaveLength(24);
    expect(one.json().compartments[0]).toMatchObject({
      number: 1,
      size: 'S',
      kind: 'normal',
      use: 'free',
      door: 'unknown',
      uv: 'off',
    });
    // Scope: grid 2's worker, another community, a resident, a courier.
    expect((await call('communityWorker2', 'GET', '/lockers/qsh-b01-u1')).statusCode).toBe(404);
    expect((await call('residentA', 'GET', '/lockers/qsh-b01-u1')).statusCode).toBe(403);
    expect((await call('courier', 'GET', '/lockers/qsh-b01-u1')).statusCode).toBe(403);
    expect(
      (await call('communityWorker2', 'GET', `/communities/${w.community1}/lockers`)).statusCode,
    ).toBe(404);
  });

  it('opens a compartment remotely: a contract-valid command in the outbox, audited with the reason, once per Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'click-0001-abc' };
    const first = await call(
      'communityWorker1',
      'POST',
      '/lockers/qsh-b01-u1/compartments/3/open',
      { reason: '居民忘带手机，核实身份后开柜' },
      key,
    );
    expect(first.statusCode).toBe(202);
    const again = await call(
      'communityWorker1',
      'POST',
      '/lockers/qsh-b01-u1/compartments/3/open',
      { reason: '居民忘带手机，核实身份后开柜' },
      key,
    );
    expect(again.json().commandId).toBe(first.json().commandId);
    const other = await call(
      'communityWorker1',
      'POST',
      '/lockers/qsh-b01-u1/compartments/4/open',
      { reason: '另一个格口' },
      key,
    );
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');

    const rows = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('locker_id', '=', 'qsh-b01-u1')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'open',
      compartment: 3,
      status: 'pending',
      reason: '居民忘带手机，核实身份后开柜',
    });
    const body = JSON.parse(rows[0]!.body);
    const wire = decodeCommand({
      ...body,
      messageId: rows[0]!.id,
      lockerId: 'qsh-b01-u1',
      sentAt: rows[0]!.created_at,
      commandId: rows[0]!.id,
      expiresAt: rows[0]!.expires_at,
    });
    expect(wire.ok).toBe(true);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'locker.remote_open')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      compartment: 3,
      reason: '居民忘带手机，核实身份后开柜',
    });

    const cmd = await call(
      'communityWorker1',
      'GET',
      `/lockers/qsh-b01-u1/commands/${first.json().commandId}`,
    );
    expect(cmd.json()).toMatchObject({ type: 'open', status: 'pending', attempts: 0 });
  });

  it('requires a reason and an existing compartment; disinfect takes one compartment or all', async () => {
    expect(
      (await call('communityWorker1', 'POST', '/lockers/qsh-b01-u1/compartments/3/open', {}))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await call('communityWorker1', 'POST', '/lockers/qsh-b01-u1/compartments/99/open', {
          reason: '测试一下',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('communityWorker1', 'POST', '/lockers/qsh-b01-u1/compartments/0/open', {
          reason: '测试一下',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('communityWorker1', 'POST', '/lockers/nope-nope/compartments/1/open', {
          reason: '测试一下',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('communityWorker1', 'POST', '/lockers/qsh-b01-u1/disinfect', {
          compartment: 'all',
          durationSeconds: 60,
        })
      ).statusCode,
    ).toBe(202);
    expect(
      (await call('communityWorker1', 'POST', '/lockers/qsh-b01-u1/disinfect', { compartment: 5 }))
        .statusCode,
    ).toBe(202);
    expect(
      (
        await call('communityWorker1', 'POST', '/lockers/qsh-b01-u1/disinfect', {
          compartment: 'some',
        })
      ).statusCode,
    ).toBe(400);
    const list = await call('communityWorker1', 'GET', '/lockers/qsh-b01-u1/commands');
    expect(
      list
        .json()
        .map((c: { type: string }) => c.type)
        .sort(),
    ).toEqual(['disinfect', 'disinfect', 'open']);
  });
});
