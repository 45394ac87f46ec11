/**
 * Group commit (ADR 0036): on SQLite, work that asks for a transaction while one runs joins it,
 * each piece in a savepoint. Checked from a second connection, which sees only what committed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type DatabaseHandle, type Executor, openDatabase } from './database.ts';
import { afterCommit, groupCommits, groupCommitStats, transact } from './transact.ts';

let dir: string;
let h: DatabaseHandle;
let other: SQLite.Database;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-group-'));
  const file = path.join(dir, 'g.db');
  h = await openDatabase({ kind: 'sqlite', file });
  await sql`create table parent (id text primary key)`.execute(h.db);
  // Deferred: a missing parent is caught only by the COMMIT, which is how a commit fails here.
  await sql`create table item (id text primary key, parent text references parent(id) deferrable initially deferred)`.execute(
    h.db,
  );
  other = new SQLite(file, { readonly: true });
  // What joins a group is asserted below: no time bound, or a loaded machine closes it early.
  groupCommits(h.db, true, { maxMs: Infinity });
});
afterEach(async () => {
  other.close();
  await h.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const committed = () =>
  (other.prepare('select id from item order by id').all() as { id: string }[]).map((r) => r.id);
const insert = (id: string, parent: string | null = null) =>
  transact(h.db, async (trx) => {
    await sql`insert into item (id, parent) values (${id}, ${parent})`.execute(trx);
    afterCommit(trx, () => seenByHooks.push(`${id}: ${committed().join(',')}`));
    return id;
  });
let seenByHooks: string[] = [];
beforeEach(() => {
  seenByHooks = [];
});

it('commits work that arrived together in one transaction, hooks after the commit', async () => {
  const before = { ...groupCommitStats(h.db)! };
  const commitsBefore = h.counts!.commits;
  expect(await Promise.all(['a', 'b', 'c', 'd'].map((id) => insert(id)))).toEqual([
    'a',
    'b',
    'c',
    'd',
  ]);
  expect(h.counts!.commits - commitsBefore).toBe(1);
  expect(groupCommitStats(h.db)!.groups - before.groups).toBe(1);
  // Every hook ran once everything was durable, in the order the work was asked for.
  expect(seenByHooks).toEqual(['a: a,b,c,d', 'b: a,b,c,d', 'c: a,b,c,d', 'd: a,b,c,d']);
});

it('rolls back a piece that fails alone; its caller gets its error and its hooks never run', async () => {
  const failing = transact(h.db, async (trx) => {
    await sql`insert into item (id) values ('b')`.execute(trx);
    afterCommit(trx, () => seenByHooks.push('b ran'));
    throw new Error('b changed its mind');
  });
  const results = await Promise.allSettled([insert('a'), failing, insert('c')]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason.message).toBe('b changed its mind');
  expect(committed()).toEqual(['a', 'c']);
  expect(seenByHooks).toEqual(['a: a,c', 'c: a,c']);
});

it('a failing first piece takes nobody with it', async () => {
  const first = transact(h.db, async (trx) => {
    await sql`insert into item (id) values ('x')`.execute(trx);
    throw new Error('first fails');
  });
  const results = await Promise.allSettled([first, insert('y'), insert('z')]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  expect(committed()).toEqual(['y', 'z']);
});

it('when the COMMIT fails, every piece in the group fails and no hook runs', async () => {
  await sql`insert into parent (id) values ('p')`.execute(h.db);
  // 'b' points at a parent that does not exist: the deferred check fails the shared COMMIT.
  const results = await Promise.allSettled([insert('a', 'p'), insert('b', 'nobody'), insert('c')]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  expect(committed()).toEqual([]);
  expect(seenByHooks).toEqual([]);
  // The next work commits normally.
  await insert('d', 'p');
  expect(committed()).toEqual(['d']);
});

it('a hook that throws fails its own caller only; the group stays committed', async () => {
  const throwing = transact(h.db, async (trx) => {
    await sql`insert into item (id) values ('t')`.execute(trx);
    afterCommit(trx, () => {
      throw new Error('hook broke');
    });
  });
  const results = await Promise.allSettled([insert('s'), throwing, insert('u')]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(committed()).toEqual(['s', 't', 'u']);
  await insert('v'); // the queue still drains
  expect(committed()).toEqual(['s', 't', 'u', 'v']);
});

it('a lone piece of work commits at once, as a plain transaction would', async () => {
  const commitsBefore = h.counts!.commits;
  await insert('solo');
  expect(h.counts!.commits - commitsBefore).toBe(1);
  expect(seenByHooks).toEqual(['solo: solo']);
});

/** Temporary files SQLite holds open (it unlinks them as it opens them): Linux's /proc shows them. */
const openTempFiles = () =>
  fs
    .readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // closed since the listing
      }
    })
    .filter((target) => target.includes('etilqs_')).length;
const tempStore = async (db: Executor) =>
  (await sql<{ temp_store: number }>`pragma temp_store`.execute(db)).rows[0]!.temp_store;

it.runIf(fs.existsSync('/proc/self/fd'))(
  "keeps a group's savepoints in memory, and nothing else",
  async () => {
    // ~150 pages of rows: a joiner that rewrites them all copies far more than the 64 KiB a
    // savepoint's journal keeps in memory by default before it spills into a temporary file.
    await sql`create table blob (id integer primary key, body text not null)`.execute(h.db);
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 600)
      insert into blob select i, printf('%.1000c', 'x') from n`.execute(h.db);
    const seen: { store: number; tempFiles: number }[] = [];
    const rewrite = transact(h.db, async (trx) => {
      await sql`update blob set body = printf('%.1000c', 'y')`.execute(trx);
      seen.push({ store: await tempStore(trx), tempFiles: openTempFiles() });
    });
    await Promise.all([insert('a'), rewrite]); // the rewrite joins a's group, in a savepoint
    expect(seen).toEqual([{ store: 2, tempFiles: 0 }]);
    // Outside the group SQLite's default again (temporary files for big sorts), failed groups too.
    expect(await tempStore(h.db)).toBe(0);
    await expect(
      transact(h.db, async () => {
        throw new Error('fails');
      }),
    ).rejects.toThrow('fails');
    expect(await tempStore(h.db)).toBe(0);
  },
);
