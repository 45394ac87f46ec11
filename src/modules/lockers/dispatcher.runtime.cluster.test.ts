/** Several nodes' dispatchers on one outbox: every command attempt goes out from exactly one node. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { decodeCommand } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { enqueueCommand } from './command.service.ts';
import { CommandDispatcher, retryDelaySeconds } from './dispatcher.runtime.ts';
import { createLocker } from './locker.service.ts';

describeEachDialect('command dispatchers on several nodes', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: 'dcl-0001',
      name: '多节点派发柜',
      compartments: demoLayout(24),
    });
  });

  it('claims each due command on one node only (SKIP LOCKED on PostgreSQL), round after round', async () => {
    const sent: string[] = [];
    const nodes = Array.from(
      { length: 3 },
      () =>
        new CommandDispatcher(
          t.deps,
          async (_topic, payload) => {
            await new Promise((r) => setTimeout(r, 1)); // a publish takes a moment; claims of the other nodes run meanwhile
            const c = decodeCommand(payload);
            if (c.ok) sent.push(c.value.commandId);
          },
          t.app.log,
          { pollMs: 1000, batch: 7 },
        ),
    );
    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push(
        (
          await enqueueCommand(t.database.db, t.deps, {
            lockerId: 'dcl-0001',
            communityId: w.community1,
            body: { type: 'open', compartment: 1 + (i % 20), reason: 'staff' },
          })
        ).command.id,
      );
    for (let attempt = 1; attempt <= 2; attempt++) {
      // Every node runs rounds at once until nothing is due.
      for (let round = 0; round < 10; round++) {
        const n = await Promise.all(nodes.flatMap((d) => [d.runOnce(), d.runOnce()]));
        if (n.every((x) => x === 0)) break;
      }
      expect(sent.length).toBe(40 * attempt);
      expect(new Set(sent).size).toBe(40);
      t.clock.advance(retryDelaySeconds(attempt) * 1000);
    }
    const rows = await t.database.db
      .selectFrom('locker_commands')
      .select(['id', 'attempts'])
      .where('id', 'in', ids)
      .execute();
    expect(rows.every((r) => Number(r.attempts) === 2)).toBe(true);
  });
});
