/**
 * A late answer to an open must not reopen a door the device has reported since (ADR 0007):
 * the compartment keeps its last door fact's device time (`door_fact_at`), written with the
 * fact, and the answer's update asks it. Also the migration that moved the question there
 * from `locker_events`: it fills `door_fact_at` from the history it finds.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.ts';
import { lockerWire } from '../../../test/factories.ts';
import { useWorld } from '../../../test/world.ts';
import * as migration from '../../db/migrations/2026-12-07T0200_compartment_door_fact_at.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { enqueueCommand } from './command.service.ts';
import { createLocker } from './locker.service.ts';

const L = 'dfa-0001';

describeEachDialect('the last door fact of a compartment', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '门事实测试柜',
      compartments: demoLayout(24),
    });
  });

  const { env, send, fact } = lockerWire(t, L);
  /** Send a fact; it must apply (a refused one would leave nothing to test). */
  const apply = async (f: object) => expect((await send('evt', f)).applied).toBe(true);
  const compartment = (n: number) =>
    t.database.db
      .selectFrom('compartments')
      .select(['door', 'door_fact_at'])
      .where('locker_id', '=', L)
      .where('number', '=', n)
      .executeTakeFirstOrThrow();
  /** An open command for `n` and, when asked, its "opened" answer sent now (device clock). */
  const openCommand = async (n: number) => {
    const { command } = await enqueueCommand(t.database.db, t.deps, {
      lockerId: L,
      communityId: w.community1,
      body: { type: 'open', compartment: n, reason: 'staff' },
    });
    return {
      ...env(),
      commandId: command.id,
      commandType: 'open',
      status: 'opened',
      compartment: n,
    };
  };
  const at = (row: { door_fact_at: unknown }) =>
    row.door_fact_at === null ? null : new Date(row.door_fact_at as string).toISOString();

  it('keeps each door fact’s device time on its compartment, the latest one standing', async () => {
    expect(await compartment(2)).toEqual({ door: 'unknown', door_fact_at: null });
    t.clock.advance(1000);
    const opened = fact('door_opened', { compartment: 2, cause: 'uncommanded' });
    await apply(opened);
    expect(await compartment(2)).toEqual({ door: 'open', door_fact_at: expect.anything() });
    expect(at(await compartment(2))).toBe(opened.sentAt);
    t.clock.advance(1000);
    const closed = fact('door_closed', { compartment: 2 });
    await apply(closed);
    expect(at(await compartment(2))).toBe(closed.sentAt);
    t.clock.advance(1000);
    const forced = fact('uncommanded_open', { compartment: 2 });
    await apply(forced);
    expect(await compartment(2)).toMatchObject({ door: 'open' });
    expect(at(await compartment(2))).toBe(forced.sentAt);
    // Another compartment's facts leave it alone.
    expect(at(await compartment(3))).toBeNull();
  });

  it('lets an answer open the door when no door fact came after it was sent, and not when one did', async () => {
    // No door fact ever: the answer opens it.
    t.clock.advance(1000);
    expect((await send('res', await openCommand(4))).applied).toBe(true);
    expect((await compartment(4)).door).toBe('open');
    // Closed at t, answered after t: the answer is newer, it opens.
    t.clock.advance(1000);
    await apply(fact('door_closed', { compartment: 4 }));
    t.clock.advance(1000);
    expect((await send('res', await openCommand(4))).applied).toBe(true);
    expect((await compartment(4)).door).toBe('open');
    // Answered at t, closed after t, the answer arriving last: the door stays closed.
    t.clock.advance(1000);
    const late = await openCommand(4);
    t.clock.advance(1000);
    await apply(fact('door_closed', { compartment: 4 }));
    expect((await send('res', late)).applied).toBe(true);
    expect((await compartment(4)).door).toBe('closed');
    // A fact of the same instant as the answer counts as after it (at or after, as before).
    t.clock.advance(1000);
    const same = await openCommand(4);
    await apply(fact('door_closed', { compartment: 4 }));
    expect((await send('res', same)).applied).toBe(true);
    expect((await compartment(4)).door).toBe('closed');
  });

  it('the migration fills door_fact_at from the history of door facts, and drops the index', async () => {
    const db = t.database.db;
    // Back to before the migration: no column, the index on locker_events again.
    await migration.down(db);
    await migration.up(db);
    const rows = await db
      .selectFrom('compartments')
      .select(['number', 'door_fact_at'])
      .where('locker_id', '=', L)
      .where('number', 'in', [2, 3, 4])
      .orderBy('number')
      .execute();
    const lastDoorFact = async (n: number) =>
      (
        await db
          .selectFrom('locker_events')
          .select('occurred_at')
          .where('locker_id', '=', L)
          .where('compartment', '=', n)
          .where('type', 'in', ['door_opened', 'door_closed', 'uncommanded_open'])
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow()
      ).occurred_at;
    expect(rows.map(at)).toEqual([
      new Date(await lastDoorFact(2)).toISOString(),
      null,
      new Date(await lastDoorFact(4)).toISOString(),
    ]);
    const indexes =
      dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'locker_events'`.execute(
            db,
          )
        : await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'locker_events' and schemaname = current_schema()`.execute(
            db,
          );
    expect(indexes.rows.map((r) => r.name)).not.toContain('locker_events_door_idx');
    expect(indexes.rows.length).toBeGreaterThan(0);
  });
});
