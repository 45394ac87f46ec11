/**
 * Ingest when several nodes consume one locker's messages at once (MQTT 5 shared
 * subscriptions): a fact that overtakes its predecessor waits for it (and, when the
 * predecessor was lost, is turned away and a replay asked for), the same message
 * on two nodes applies once, and a late response does not reopen a door closed since.
 * On PostgreSQL the calls run truly concurrently on separate pooled connections.
 */
import { beforeAll, expect, it } from 'vitest';
import { stateSnapshotBody } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { lockerTopic, type TopicKind } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import { enqueueCommand } from './command.service.ts';
import { GAP_REASK_MS, ingest } from './ingest.service.ts';
import { createLocker } from './locker.service.ts';

describeEachDialect('locker ingest across nodes', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    for (const id of ['icl-0001', 'icl-0002', 'icl-0003', 'icl-0004', 'icl-0005'])
      await createLocker(t.deps, null, w.siteA, { id, name: id, compartments: demoLayout(24) });
  });

  const env = (L: string) => ({
    messageId: newId(t.clock, cryptoRandom),
    lockerId: L,
    sentAt: iso(t.clock.now()),
  });
  const send = (L: string, kind: TopicKind, msg: object, orderWaitMs = 2000) =>
    ingest(t.deps, {}, lockerTopic(L, kind), Buffer.from(JSON.stringify(msg)), { orderWaitMs });
  const fact = (L: string, seq: number, type: string, props: object) => ({
    ...env(L),
    seq,
    type,
    ...props,
  });
  const compartment = (L: string, n: number) =>
    t.database.db
      .selectFrom('compartments')
      .selectAll()
      .where('locker_id', '=', L)
      .where('number', '=', n)
      .executeTakeFirstOrThrow();
  const stored = async (L: string) =>
    (
      await t.database.db
        .selectFrom('locker_events')
        .select(['seq', 'received_at'])
        .where('locker_id', '=', L)
        .orderBy('seq')
        .execute()
    ).map((r) => Number(r.seq));

  it('applies facts in seq order when the later one reaches its node first', async () => {
    const L = 'icl-0001';
    for (let round = 0; round < 5; round++) {
      const base = round * 2;
      const opened = fact(L, base + 1, 'door_opened', { compartment: 3, cause: 'uncommanded' });
      const closed = fact(L, base + 2, 'door_closed', { compartment: 3 });
      // "closed" is picked up first by another node; "opened" arrives a few ms later.
      const later = send(L, 'evt', closed);
      await new Promise((r) => setTimeout(r, 20));
      const results = await Promise.all([later, send(L, 'evt', opened)]);
      expect(results.every((r) => r.applied)).toBe(true);
      // Applied out of order, the door would be left "open".
      expect((await compartment(L, 3)).door).toBe('closed');
    }
    expect(await stored(L)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('applies a message delivered to two nodes at once only once', async () => {
    const L = 'icl-0002';
    const facts = Array.from({ length: 20 }, (_, i) =>
      fact(L, i + 1, 'occupancy', { compartment: 1 + (i % 4), occupied: i % 2 === 0 }),
    );
    // 40 ingests at once on a small pool queue for a while: give them the production-sized wait, not the test's 2 s.
    const results = await Promise.all(
      facts.flatMap((f) => [
        send(L, 'evt', f, 30_000),
        send(L, 'evt', { ...f, messageId: newId(t.clock, cryptoRandom) }, 30_000),
      ]),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(20);
    expect(await stored(L)).toEqual(facts.map((f) => f.seq));
  });

  it('turns a fact away after a short wait when its predecessor was lost, and asks the locker to replay from the gap', async () => {
    const L = 'icl-0003';
    const replays = async () =>
      await t.database.db
        .selectFrom('locker_commands')
        .select(['id', 'body', 'status'])
        .where('locker_id', '=', L)
        .where('type', '=', 'replay')
        .execute();
    expect((await send(L, 'evt', fact(L, 1, 'door_closed', { compartment: 2 }))).applied).toBe(
      true,
    );
    const t0 = Date.now();
    expect(
      await send(
        L,
        'evt',
        fact(L, 4, 'door_opened', { compartment: 2, cause: 'uncommanded' }),
        150,
      ),
    ).toEqual({
      applied: false,
      reason: 'fact #4 arrived before #2; asked the locker to replay from #2',
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await replays()).map((r) => JSON.parse(r.body))).toEqual([
      { type: 'replay', fromSeq: 2 },
    ]);
    // Later facts wait for that replay too (one replay per gap), and nothing applied out of order.
    expect(await send(L, 'evt', fact(L, 5, 'door_closed', { compartment: 2 }), 0)).toEqual({
      applied: false,
      reason: 'fact #5 waits for the replay from #2',
    });
    expect(await stored(L)).toEqual([1]);
    // The replay brings 2..5 in order.
    for (const seq of [2, 3, 4, 5])
      expect(
        (
          await send(
            L,
            'evt',
            fact(L, seq, seq % 2 ? 'door_closed' : 'door_opened', {
              compartment: 2,
              ...(seq % 2 ? {} : { cause: 'uncommanded' }),
            }),
            0,
          )
        ).applied,
      ).toBe(true);
    expect(await stored(L)).toEqual([1, 2, 3, 4, 5]);
    expect((await compartment(L, 2)).door).toBe('closed');
    // #7 arrives before #6 (lost again, say): a replay from #6 is asked for.
    const seven = () =>
      send(L, 'evt', fact(L, 7, 'door_opened', { compartment: 2, cause: 'uncommanded' }), 0);
    const answer = (id: string, oldestSeq: number) =>
      send(L, 'res', {
        ...env(L),
        commandId: id,
        commandType: 'replay',
        status: 'ok',
        details: { replayed: 2, oldestSeq, lastSeq: 7 },
      });
    const fromSix = async () => (await replays()).filter((r) => JSON.parse(r.body).fromSeq === 6);
    expect((await seven()).applied).toBe(false);
    expect((await answer((await fromSix())[0]!.id, 1)).applied).toBe(true);
    // Answered, but #6 has not come: #7 keeps waiting, and after a while the locker is asked again.
    expect(await seven()).toEqual({
      applied: false,
      reason: 'fact #7 waits for the replay from #6',
    });
    t.clock.advance(GAP_REASK_MS);
    expect(await seven()).toEqual({
      applied: false,
      reason: 'fact #7 arrived before #6; asked the locker to replay from #6',
    });
    expect(await fromSix()).toHaveLength(2);
    // A locker that no longer keeps #6 says so (its oldest kept fact is #7): #7 applies over the gap.
    const again = (await fromSix()).find((r) => r.status !== 'answered')!;
    expect((await answer(again.id, 7)).applied).toBe(true);
    expect((await seven()).applied).toBe(true);
    expect(await stored(L)).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('keeps a door closed when the response to the open that preceded it arrives late (lost with a node, re-sent)', async () => {
    const L = 'icl-0004';
    const { command } = await enqueueCommand(t.database.db, t.deps, {
      lockerId: L,
      communityId: w.community1,
      body: { type: 'open', compartment: 5, reason: 'staff' },
    });
    const response = {
      ...env(L),
      commandId: command.id,
      commandType: 'open',
      status: 'opened',
      compartment: 5,
    };
    t.clock.advance(1000);
    await send(
      L,
      'evt',
      fact(L, 1, 'door_opened', { compartment: 5, cause: 'command', commandId: command.id }),
    );
    t.clock.advance(3000);
    await send(L, 'evt', fact(L, 2, 'door_closed', { compartment: 5 }));
    expect((await send(L, 'res', response)).applied).toBe(true);
    expect((await compartment(L, 5)).door).toBe('closed');
  });

  it('keeps compartments as newer facts left them when an older (or a redundant) state snapshot arrives after them', async () => {
    const L = 'icl-0005';
    const snapshot = (revision: number, lastSeq: number, occupied: boolean) => ({
      ...env(L),
      ...stateSnapshotBody(revision, lastSeq, [
        { compartment: 7, door: 'closed', occupied, uv: 'off' },
      ]),
    });
    // The device published snapshot #1 (taken at seq 0, empty), then the fact "something inside" (seq 1);
    // another node applied the fact first.
    expect(
      (await send(L, 'evt', fact(L, 1, 'occupancy', { compartment: 7, occupied: true }))).applied,
    ).toBe(true);
    expect((await send(L, 'state', snapshot(1, 0, false))).applied).toBe(true);
    expect((await compartment(L, 7)).occupied).toBe('yes');
    // A snapshot taken at the facts' seq adds nothing the facts did not tell: it writes nothing
    // (here it even contradicts them, which a real locker's would not: the facts stand).
    const before = await t.database.db
      .selectFrom('lockers')
      .select(['reported_revision', 'updated_at'])
      .where('id', '=', L)
      .executeTakeFirstOrThrow();
    expect((await send(L, 'state', snapshot(2, 1, false))).applied).toBe(true);
    expect((await compartment(L, 7)).occupied).toBe('yes');
    expect(
      await t.database.db
        .selectFrom('lockers')
        .select(['reported_revision', 'updated_at'])
        .where('id', '=', L)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    // A snapshot counting facts never stored (lost with a node) asks for them at once, and its
    // compartments apply.
    expect((await send(L, 'state', snapshot(3, 4, false), 0)).applied).toBe(true);
    expect((await compartment(L, 7)).occupied).toBe('no');
    const asked = await t.database.db
      .selectFrom('locker_commands')
      .select('body')
      .where('locker_id', '=', L)
      .where('type', '=', 'replay')
      .execute();
    expect(asked.map((r) => JSON.parse(r.body))).toEqual([{ type: 'replay', fromSeq: 2 }]);
  });
});
