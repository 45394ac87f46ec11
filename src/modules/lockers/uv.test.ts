/**
 * UV facts into cycle records at the ingest level (dedup by seq, replay, a lone failure,
 * a superseded lamp), and the community policy sent to lockers on change and again on
 * every reconnect.
 */
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.ts';
import { lockerWire, stateSnapshotBody } from '../../../test/factories.ts';
import { useWorld } from '../../../test/world.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { createLocker } from './locker.service.ts';
import { setUvPolicy } from './uv.service.ts';

const L = 'uvc-0001';

describeEachDialect('UV cycles and policy', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '消毒测试柜',
      compartments: demoLayout(24),
    });
  });
  beforeEach(() => t.clock.advance(1000));

  const wire = lockerWire(t, L);
  const { env, send, fact } = wire;
  const cycles = (n: number) =>
    t.database.db
      .selectFrom('uv_cycles')
      .selectAll()
      .where('locker_id', '=', L)
      .where('compartment', '=', n)
      .orderBy('seq')
      .execute();
  const configs = () =>
    t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('locker_id', '=', L)
      .where('type', '=', 'config')
      .execute();

  it('opens a record on uv_started and closes it on uv_done; a replayed fact changes nothing', async () => {
    const started = fact('uv_started', {
      compartment: 3,
      durationSeconds: 300,
      trigger: 'after_close',
    });
    await send('evt', started);
    await send('evt', fact('uv_done', { compartment: 3, result: 'completed', ranSeconds: 300 }));
    expect((await send('evt', started)).applied).toBe(false);
    expect(await cycles(3)).toMatchObject([
      {
        seq: started.seq,
        trigger: 'after_close',
        outcome: 'completed',
        ran_seconds: 300,
        started_at: started.sentAt,
      },
    ]);
  });

  it('opens the record from a v2 door_closed that announced the after-use cycle, in the same transaction as the door', async () => {
    const compartment = () =>
      t.database.db
        .selectFrom('compartments')
        .select(['door', 'occupied', 'uv', 'last_uv_seq'])
        .where('locker_id', '=', L)
        .where('number', '=', 6)
        .executeTakeFirstOrThrow();
    await send('evt', fact('door_opened', { compartment: 6, cause: 'uncommanded' }));
    const closed = fact('door_closed', { compartment: 6, occupied: false, uvStartedSeconds: 120 });
    expect((await send('evt', closed)).applied).toBe(true);
    expect(await compartment()).toEqual({
      door: 'closed',
      occupied: 'no',
      uv: 'running',
      last_uv_seq: closed.seq,
    });
    expect(await cycles(6)).toMatchObject([
      { seq: closed.seq, trigger: 'after_close', duration_seconds: 120, outcome: 'running' },
    ]);
    // A resend of the close changes nothing; the cycle's uv_done ends it as any other.
    expect((await send('evt', closed)).applied).toBe(false);
    await send('evt', fact('uv_done', { compartment: 6, result: 'completed', ranSeconds: 120 }));
    expect(await cycles(6)).toMatchObject([
      { seq: closed.seq, outcome: 'completed', ran_seconds: 120, started_at: closed.sentAt },
    ]);
    expect((await compartment()).uv).toBe('off');
  });

  it('records a refused cycle (uv_blocked: the door was open) on the compartment and as a cycle of its own', async () => {
    const blocked = fact('uv_blocked', { compartment: 8, reason: 'door_open' });
    expect((await send('evt', blocked)).applied).toBe(true);
    expect(
      await t.database.db
        .selectFrom('compartments')
        .select(['uv', 'uv_result', 'last_uv_seq'])
        .where('locker_id', '=', L)
        .where('number', '=', 8)
        .executeTakeFirstOrThrow(),
    ).toEqual({ uv: 'off', uv_result: 'blocked', last_uv_seq: blocked.seq });
    expect(await cycles(8)).toMatchObject([
      { seq: blocked.seq, trigger: null, outcome: 'blocked', reason: 'door_open', ran_seconds: 0 },
    ]);
  });

  it('records a lamp that never came on as a failed cycle of its own, and a lamp restarted over a running one as superseded', async () => {
    await send(
      'evt',
      fact('uv_done', { compartment: 4, result: 'aborted', reason: 'lamp_fault', ranSeconds: 0 }),
    );
    expect(await cycles(4)).toMatchObject([
      { outcome: 'failed', reason: 'lamp_fault', trigger: null },
    ]);
    const c4 = await t.database.db
      .selectFrom('compartments')
      .selectAll()
      .where('locker_id', '=', L)
      .where('number', '=', 4)
      .executeTakeFirstOrThrow();
    expect(c4.uv_result).toBe('failed');
    await send(
      'evt',
      fact('uv_started', { compartment: 5, durationSeconds: 300, trigger: 'after_close' }),
    );
    await send(
      'evt',
      fact('uv_started', {
        compartment: 5,
        durationSeconds: 60,
        trigger: 'command',
        commandId: 'c-staff-uv-0001',
      }),
    );
    await send('evt', fact('uv_done', { compartment: 5, result: 'completed', ranSeconds: 60 }));
    expect((await cycles(5)).map((c) => [c.trigger, c.outcome, c.reason])).toEqual([
      ['after_close', 'aborted', 'superseded'],
      ['command', 'completed', null],
    ]);
  });

  it('a v2 close that announces a cycle over a running lamp supersedes it; a snapshot reporting the lamp off ends its record', async () => {
    const ended = async (n: number) =>
      (await cycles(n)).map((c) => [c.trigger, c.outcome, c.reason]);
    // Over a running staff cycle: the close's own compartment row says the lamp runs, so the record ends.
    await send(
      'evt',
      fact('uv_started', { compartment: 7, durationSeconds: 60, trigger: 'command' }),
    );
    await send('evt', fact('door_opened', { compartment: 7, cause: 'uncommanded' }));
    await send(
      'evt',
      fact('door_closed', { compartment: 7, occupied: false, uvStartedSeconds: 90 }),
    );
    expect(await ended(7)).toEqual([
      ['command', 'aborted', 'superseded'],
      ['after_close', 'running', null],
    ]);
    // The lamp goes off with no uv_done (a snapshot says so): the record ends with it, so the
    // next announced cycle, which trusts the compartment's lamp state, leaves nothing running behind.
    await send('state', {
      ...env(),
      ...stateSnapshotBody(1, wire.seq, [
        { compartment: 7, door: 'closed', occupied: false, uv: 'off' },
      ]),
    });
    await send('evt', fact('door_opened', { compartment: 7, cause: 'uncommanded' }));
    await send(
      'evt',
      fact('door_closed', { compartment: 7, occupied: false, uvStartedSeconds: 90 }),
    );
    expect(await ended(7)).toEqual([
      ['command', 'aborted', 'superseded'],
      ['after_close', 'aborted', 'reported_off'],
      ['after_close', 'running', null],
    ]);
  });

  it('sends a changed policy to the community’s lockers, and again when a locker reconnects', async () => {
    const status = (connectionId: string) => ({
      ...env(),
      status: 'online',
      connectionId,
      reason: 'connected',
    });
    // On the defaults, a reconnect sends nothing: the locker already runs them.
    await send('status', status('conn-0001'));
    expect(await configs()).toEqual([]);
    await setUvPolicy(t.deps, w.users.admin.id, w.community1, {
      afterUse: 'off',
      cycleSeconds: 120,
    });
    expect((await configs()).map((c) => JSON.parse(c.body))).toEqual([
      { type: 'config', settings: { uvAfterClose: false, uvDefaultSeconds: 120 } },
    ]);
    await send('status', status('conn-0002'));
    expect(await configs()).toHaveLength(2);
    // A repeated online of the same connection is not a reconnect.
    await send('status', status('conn-0002'));
    expect(await configs()).toHaveLength(2);
  });
});
