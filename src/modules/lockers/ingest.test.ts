/**
 * Device messages into the cloud: deduplicated and applied once, stale ones rejected,
 * invalid ones rejected with a reason and no change, alerts raised and cleared.
 */
import { updateLocker } from './locker.repository.ts';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { heartbeatBody, lockerWire, stateSnapshotBody } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { lockerTopic, type TopicKind } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { iso, newId, cryptoRandom } from '../../platform/clock.ts';
import { enqueueCommand } from './command.service.ts';
import { ingest } from './ingest.service.ts';
import { LAST_SEEN_RESOLUTION_MS } from './signals.service.ts';
import { createLocker } from './locker.service.ts';

const L = 'ing-0001';

describeEachDialect('locker ingest', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '测试柜',
      compartments: demoLayout(24),
    });
  });
  beforeEach(() => {
    t.clock.advance(1000);
  });

  const wire = lockerWire(t, L);
  const { env, send, fact } = wire;
  const compartment = (n: number) =>
    t.database.db
      .selectFrom('compartments')
      .selectAll()
      .where('locker_id', '=', L)
      .where('number', '=', n)
      .executeTakeFirstOrThrow();
  const openAlerts = async () =>
    (
      await t.database.db
        .selectFrom('lockers')
        .select('open_alerts')
        .where('id', '=', L)
        .executeTakeFirstOrThrow()
    ).open_alerts;
  const alerts = () =>
    t.database.db.selectFrom('locker_alerts').selectAll().where('locker_id', '=', L).execute();

  it('stores each fact once per (locker, seq) and applies it once', async () => {
    const opened = fact('door_opened', { compartment: 2, cause: 'uncommanded' });
    expect((await send('evt', opened)).applied).toBe(true);
    const dup = await send('evt', { ...opened, messageId: newId(t.clock, cryptoRandom) });
    expect(dup).toEqual({ applied: false, reason: expect.stringContaining('duplicate event') });
    expect((await compartment(2)).door).toBe('open');
    expect((await send('evt', fact('door_closed', { compartment: 2 }))).applied).toBe(true);
    expect((await compartment(2)).door).toBe('closed');
    // A replay of the older "opened" fact changes nothing.
    expect((await send('evt', opened)).applied).toBe(false);
    expect((await compartment(2)).door).toBe('closed');
    const n = await t.database.db
      .selectFrom('locker_events')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('locker_id', '=', L)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
  });

  it('rejects invalid messages with a reason and changes nothing', async () => {
    const before = await t.database.db.selectFrom('locker_events').selectAll().execute();
    const cases: [TopicKind, unknown, RegExp][] = [
      ['evt', 'not json', /not JSON/],
      [
        'evt',
        { ...fact('door_opened', { compartment: 2, cause: 'uncommanded' }), extra: 1 },
        /additional/,
      ],
      ['evt', fact('door_opened', { compartment: 0, cause: 'uncommanded' }), /compartment/],
      [
        'evt',
        { ...fact('door_closed', { compartment: 1 }), lockerId: 'ing-0002' },
        /does not match the topic/,
      ],
      [
        'res',
        { ...env(), commandId: 'c-unknown-0001', commandType: 'open', status: 'opened' },
        /unknown response/,
      ],
      ['cmd', { hello: 1 }, /not a device topic/],
    ];
    for (const [kind, msg, reason] of cases) {
      const r = await ingest(
        t.deps,
        {},
        lockerTopic(L, kind),
        Buffer.from(typeof msg === 'string' ? msg : JSON.stringify(msg)),
      );
      expect(r.applied, JSON.stringify(msg)).toBe(false);
      if (!r.applied) expect(r.reason).toMatch(reason);
    }
    expect((await send('evt', fact('door_closed', { compartment: 1 }), 'ghost-01')).applied).toBe(
      false,
    );
    wire.seq -= 4; // the rejected facts above consumed numbers the device never used
    expect(await t.database.db.selectFrom('locker_events').selectAll().execute()).toEqual(before);
  });

  it('records the first response to a command and ignores copies; a jammed door raises one alert that clears when it opens', async () => {
    const { command } = await enqueueCommand(t.database.db, t.deps, {
      lockerId: L,
      communityId: w.community1,
      body: { type: 'open', compartment: 7, reason: 'staff' },
    });
    const res = {
      ...env(),
      commandId: command.id,
      commandType: 'open',
      status: 'door_jammed',
      compartment: 7,
    };
    expect((await send('res', res)).applied).toBe(true);
    expect(
      (await send('res', { ...res, messageId: newId(t.clock, cryptoRandom), status: 'opened' }))
        .applied,
    ).toBe(false);
    const row = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('id', '=', command.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'answered', response_status: 'door_jammed' });
    await send(
      'evt',
      fact('open_outcome', { compartment: 7, commandId: command.id, outcome: 'door_jammed' }),
    );
    let open = (await alerts()).filter((a) => a.kind === 'door_jammed' && a.status !== 'resolved');
    expect(open).toHaveLength(1);
    expect(open[0]!.occurrences).toBe(2);
    await send(
      'evt',
      fact('open_outcome', { compartment: 7, commandId: 'c-later-open-0001', outcome: 'opened' }),
    );
    open = (await alerts()).filter((a) => a.kind === 'door_jammed' && a.status !== 'resolved');
    expect(open).toHaveLength(0);
    // The locker's count of unresolved alerts follows the raise and the resolve (ingest skips resolves at 0).
    expect(await openAlerts()).toBe((await alerts()).filter((a) => a.status !== 'resolved').length);
  });

  it("keeps the locker's unresolved-alert count through raises, repeats and resolves, and skips resolves at 0", async () => {
    const before = await openAlerts();
    const jam = async (c: number, outcome: string) => {
      const commandId = `c-count-open-${String(wire.seq).padStart(4, '0')}`;
      const r = await send('evt', fact('open_outcome', { compartment: c, commandId, outcome }));
      expect(r.applied).toBe(true);
    };
    await jam(11, 'door_jammed');
    await jam(11, 'door_jammed'); // a repeat bumps the alert, not the count
    await jam(12, 'door_jammed');
    expect(await openAlerts()).toBe(before + 2);
    await jam(11, 'opened');
    await jam(11, 'opened'); // nothing left to resolve for 11: the count stays
    expect(await openAlerts()).toBe(before + 1);
    await jam(12, 'opened');
    expect(await openAlerts()).toBe(before);
    expect(await openAlerts()).toBe((await alerts()).filter((a) => a.status !== 'resolved').length);
  });

  it('v2: the open_outcome fact answers the open (status, details), a v1 locker still waits for its res', async () => {
    const setContract = (v: 'v1' | 'v2') => updateLocker(t.database.db, L, { contract_version: v });
    const command = async (id: string) =>
      t.database.db
        .selectFrom('locker_commands')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const open = async (c: number) =>
      (
        await enqueueCommand(t.database.db, t.deps, {
          lockerId: L,
          communityId: w.community1,
          body: { type: 'open', compartment: c, reason: 'staff' },
        })
      ).command.id;
    const outcome = (c: number, commandId: string, v2Shaped = true) =>
      fact('open_outcome', {
        compartment: c,
        commandId,
        outcome: 'opened',
        detectionMs: 40,
        ...(v2Shaped ? { relayFired: 'yes', doorNow: 'open' } : {}),
      });

    // v1: the fact changes the door's alerts, the command stays unanswered until its res.
    const v1 = await open(13);
    expect((await send('evt', outcome(13, v1, false))).applied).toBe(true);
    expect(await command(v1)).toMatchObject({ response_status: null, answered_at: null });
    // A v2-shaped outcome (relayFired) answers even before the locker's hello recorded v2.
    const early = await open(12);
    expect((await send('evt', outcome(12, early))).applied).toBe(true);
    expect(await command(early)).toMatchObject({ response_status: 'opened' });

    await setContract('v2');
    try {
      const v2 = await open(14);
      expect((await send('evt', outcome(14, v2))).applied).toBe(true);
      const row = await command(v2);
      expect(row).toMatchObject({ status: 'answered', response_status: 'opened' });
      // The outcome reported the opening (a v2 locker sends no door_opened for it) ...
      expect(await compartment(14)).toMatchObject({ door: 'open' });
      // ... and door_closed carries the occupancy seen behind the open door (no occupancy fact).
      expect(
        (await send('evt', fact('door_closed', { compartment: 14, occupied: true }))).applied,
      ).toBe(true);
      expect(await compartment(14)).toMatchObject({ door: 'closed', occupied: 'yes' });
      expect(JSON.parse(row.response!)).toMatchObject({
        commandId: v2,
        commandType: 'open',
        status: 'opened',
        compartment: 14,
        details: { relayFired: 'yes', doorNow: 'open', detectionMs: 40 },
      });
      // A res that comes anyway (an older v2 agent, a redelivery) is a duplicate.
      const late = await send('res', {
        ...env(),
        commandId: v2,
        commandType: 'open',
        status: 'opened',
        compartment: 14,
      });
      expect(late).toMatchObject({ applied: false });
      // An outcome naming a command that is not an open answers nothing.
      const { command: other } = await enqueueCommand(t.database.db, t.deps, {
        lockerId: L,
        communityId: w.community1,
        body: { type: 'replay', fromSeq: 1 },
      });
      expect((await send('evt', outcome(15, other.id))).applied).toBe(true);
      expect(await command(other.id)).toMatchObject({ response_status: null });
      await t.database.db.deleteFrom('locker_commands').where('id', '=', other.id).execute(); // later tests count replays
    } finally {
      await setContract('v1');
    }
  });

  it('raises alerts for uncommanded opens, UV lamp faults and keypad lockouts; records disinfection', async () => {
    await send('evt', fact('uncommanded_open', { compartment: 9 }));
    expect((await compartment(9)).door).toBe('open');
    await send(
      'evt',
      fact('uv_started', { compartment: 4, durationSeconds: 60, trigger: 'after_close' }),
    );
    expect((await compartment(4)).uv).toBe('running');
    await send('evt', fact('uv_done', { compartment: 4, result: 'completed', ranSeconds: 60 }));
    const c4 = await compartment(4);
    expect(c4).toMatchObject({ uv: 'off', uv_result: 'completed' });
    expect(c4.last_disinfected_at).not.toBeNull();
    await send(
      'evt',
      fact('uv_done', { compartment: 5, result: 'aborted', reason: 'lamp_fault', ranSeconds: 3 }),
    );
    await send('evt', fact('keypad_locked', { failures: 5, until: iso(t.clock.now() + 60_000) }));
    const kinds = (await alerts())
      .filter((a) => a.status === 'open')
      .map((a) => a.kind)
      .sort();
    expect(kinds).toEqual(['keypad_locked', 'uncommanded_open', 'uv_fault']);
  });

  it('applies a state snapshot only when its revision grows', async () => {
    const snapshot = (revision: number, door: 'open' | 'closed') => ({
      ...env(),
      ...stateSnapshotBody(revision, wire.seq, [
        { compartment: 12, door, occupied: true, uv: 'off' },
      ]),
    });
    expect((await send('state', snapshot(5, 'open'))).applied).toBe(true);
    expect((await compartment(12)).door).toBe('open');
    expect(await send('state', snapshot(4, 'closed'))).toEqual({
      applied: false,
      reason: expect.stringContaining('stale state revision 4'),
    });
    expect((await compartment(12)).door).toBe('open');
    expect((await compartment(12)).occupied).toBe('yes');
  });

  it('tracks presence by connection; a late Last Will of an old connection is ignored; reconnect clears the offline alert', async () => {
    const status = (s: 'online' | 'offline', connectionId: string) => ({
      ...env(),
      status: s,
      connectionId,
      reason: s === 'online' ? 'connected' : 'connection_lost',
    });
    expect((await send('status', status('online', 'conn-0000-aaaa'))).applied).toBe(true);
    expect((await send('status', status('online', 'conn-0000-bbbb'))).applied).toBe(true);
    expect((await send('status', status('offline', 'conn-0000-aaaa'))).applied).toBe(false);
    let l = await t.database.db
      .selectFrom('lockers')
      .selectAll()
      .where('id', '=', L)
      .executeTakeFirstOrThrow();
    expect(l.presence).toBe('online');
    expect((await send('status', status('offline', 'conn-0000-bbbb'))).applied).toBe(true);
    l = await t.database.db
      .selectFrom('lockers')
      .selectAll()
      .where('id', '=', L)
      .executeTakeFirstOrThrow();
    expect(l.presence).toBe('offline');
    await updateLocker(t.database.db, L, { status: 'active' });
    const { offlineSweep } = await import('./locker.runtime.ts');
    t.clock.advance(11 * 60_000);
    expect(await offlineSweep(t.deps, 10)).toBe(1);
    expect(await offlineSweep(t.deps, 10)).toBe(0);
    expect(
      (await alerts()).filter((a) => a.kind === 'offline' && a.status === 'open'),
    ).toHaveLength(1);
    await send('status', status('online', 'conn-0000-cccc'));
    expect(
      (await alerts()).filter((a) => a.kind === 'offline' && a.status !== 'resolved'),
    ).toHaveLength(0);
  });

  it('answers a code typed on the screen once, even when the request is redelivered', async () => {
    const signal = {
      ...env(),
      type: 'code_entered',
      requestId: 'req-0000-0001',
      code: '12345678',
      expiresAt: iso(t.clock.now() + 30_000),
    };
    expect((await send('evt', signal)).applied).toBe(true);
    expect(
      (await send('evt', { ...signal, messageId: newId(t.clock, cryptoRandom) })).applied,
    ).toBe(false);
    const replies = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('locker_id', '=', L)
      .where('type', '=', 'screen_result')
      .execute();
    expect(replies).toHaveLength(1);
    expect(JSON.parse(replies[0]!.body)).toEqual({
      type: 'screen_result',
      screenRequestId: 'req-0000-0001',
      outcome: 'wrong_code',
    });
    // The clear code is never stored.
    expect(
      JSON.stringify(await t.database.db.selectFrom('locker_commands').selectAll().execute()),
    ).not.toContain('12345678');
    const stale = { ...signal, requestId: 'req-0000-0002', expiresAt: iso(t.clock.now() - 1) };
    expect((await send('evt', stale)).applied).toBe(false);
  });

  it('writes a heartbeat only when the locker was last seen over a minute ago (or has facts we lack)', async () => {
    const lastSeen = async () =>
      (
        await t.database.db
          .selectFrom('lockers')
          .select('last_seen_at')
          .where('id', '=', L)
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    const hb = () => ({ ...env(), ...heartbeatBody(t.clock.now(), wire.seq) });
    t.clock.advance(LAST_SEEN_RESOLUTION_MS + 1);
    expect(await send('evt', hb())).toEqual({ applied: true, what: 'heartbeat' });
    const first = await lastSeen();
    expect(first).toBe(iso(t.clock.now()));
    t.clock.advance(30_000);
    expect(await send('evt', hb())).toEqual({ applied: true, what: 'heartbeat' });
    expect(await lastSeen()).toBe(first); // within the minute: nothing written
    t.clock.advance(LAST_SEEN_RESOLUTION_MS);
    await send('evt', hb());
    expect(await lastSeen()).toBe(iso(t.clock.now()));
  });

  it('asks for a replay when a heartbeat shows facts we never stored', async () => {
    const hb = { ...env(), ...heartbeatBody(t.clock.now(), wire.seq + 3) };
    expect(await send('evt', hb)).toEqual({
      applied: true,
      what: `heartbeat; asked for replay from #${wire.seq + 1}`,
    });
    const replay = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('locker_id', '=', L)
      .where('type', '=', 'replay')
      .execute();
    expect(replay.map((r) => JSON.parse(r.body))).toEqual([
      { type: 'replay', fromSeq: wire.seq + 1 },
    ]);
  });
});
