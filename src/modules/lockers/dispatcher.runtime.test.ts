/** The command outbox: publish, retry with backoff until answered, expire, never double-claim. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { decodeCommand, lockerTopic } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import { enqueueCommand } from './command.service.ts';
import { CommandDispatcher, retryDelaySeconds } from './dispatcher.runtime.ts';
import { ingest } from './ingest.service.ts';
import { createLocker } from './locker.service.ts';

const L = 'disp-0001';

describeEachDialect('command dispatcher', (dialect) => {
  const { t, w } = useWorld(dialect);
  const sent: { topic: string; payload: Buffer }[] = [];
  let failNext = false;
  let dispatcher: CommandDispatcher;
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '派发测试柜',
      compartments: demoLayout(24),
    });
    dispatcher = new CommandDispatcher(
      t.deps,
      async (topic, payload) => {
        if (failNext) {
          failNext = false;
          throw new Error('broker unavailable');
        }
        sent.push({ topic, payload });
      },
      t.app.log,
    );
  });

  const status = async (id: string) =>
    (
      await t.database.db
        .selectFrom('locker_commands')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  it('publishes contract-valid commands on the locker cmd topic, then retries with backoff until answered', async () => {
    const { command } = await enqueueCommand(t.database.db, t.deps, {
      lockerId: L,
      communityId: w.community1,
      body: { type: 'open', compartment: 1, reason: 'staff' },
    });
    expect(await dispatcher.runOnce()).toBe(1);
    expect(sent[0]!.topic).toBe(lockerTopic(L, 'cmd'));
    const wire = decodeCommand(sent[0]!.payload);
    expect(wire.ok && wire.value).toMatchObject({
      type: 'open',
      commandId: command.id,
      compartment: 1,
      lockerId: L,
    });
    expect(await status(command.id)).toBe('sent');

    const counts = t.database.counts; // SQLite counts what it ran
    const readOnly = counts?.readOnlyCommits;
    expect(await dispatcher.runOnce()).toBe(0); // leased until the retry time
    if (counts) expect(counts.readOnlyCommits).toBe(readOnly); // and a round that finds nothing opens no transaction
    t.clock.advance(retryDelaySeconds(1) * 1000);
    expect(await dispatcher.runOnce()).toBe(1);
    const again = decodeCommand(sent[1]!.payload);
    expect(again.ok && again.value.commandId).toBe(command.id); // same commandId: the device deduplicates
    expect(again.ok && again.value.messageId).not.toBe(wire.ok && wire.value.messageId);

    await ingest(
      t.deps,
      {},
      lockerTopic(L, 'res'),
      Buffer.from(
        JSON.stringify({
          messageId: newId(t.clock, cryptoRandom),
          lockerId: L,
          sentAt: iso(t.clock.now()),
          commandId: command.id,
          commandType: 'open',
          status: 'opened',
          compartment: 1,
        }),
      ),
    );
    expect(await status(command.id)).toBe('answered');
    t.clock.advance(120_000);
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it('retries a failed publish and expires what never got an answer; a late answer is still recorded', async () => {
    const { command } = await enqueueCommand(t.database.db, t.deps, {
      lockerId: L,
      communityId: w.community1,
      body: { type: 'open', compartment: 2, reason: 'staff' },
    });
    failNext = true;
    expect(await dispatcher.runOnce()).toBe(0);
    t.clock.advance(retryDelaySeconds(1) * 1000);
    expect(await dispatcher.runOnce()).toBe(1);
    t.clock.advance(61_000);
    await dispatcher.runOnce();
    expect(await status(command.id)).toBe('expired');
    await ingest(
      t.deps,
      {},
      lockerTopic(L, 'res'),
      Buffer.from(
        JSON.stringify({
          messageId: newId(t.clock, cryptoRandom),
          lockerId: L,
          sentAt: iso(t.clock.now()),
          commandId: command.id,
          commandType: 'open',
          status: 'opened',
          compartment: 2,
        }),
      ),
    );
    const row = await t.database.db
      .selectFrom('locker_commands')
      .selectAll()
      .where('id', '=', command.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'answered', response_status: 'opened' });
  });

  it('never hands the same attempt to two dispatchers running at once', async () => {
    for (let i = 0; i < 30; i++)
      await enqueueCommand(t.database.db, t.deps, {
        lockerId: L,
        communityId: w.community1,
        body: { type: 'disinfect', compartment: (i % 24) + 1 },
      });
    const before = sent.length;
    const other = new CommandDispatcher(
      t.deps,
      async (topic, payload) => void sent.push({ topic, payload }),
      t.app.log,
    );
    const [a, b] = await Promise.all([dispatcher.runOnce(), other.runOnce()]);
    expect(a + b).toBe(30);
    const ids = sent.slice(before).map((s) => {
      const d = decodeCommand(s.payload);
      return d.ok ? d.value.commandId : '';
    });
    expect(new Set(ids).size).toBe(30);
  });
});
