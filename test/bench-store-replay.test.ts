import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_PRAGMAS } from '../src/kernel/sqlite.ts';
import { replay, sqlKind, StoreCapture } from '../bench/store-replay.ts';

/**
 * The store replay prices SQLite alone only if the copy it replays on ends where the node
 * did: these run a small workload through a captured connection and replay it.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-store-replay-'));
  dirs.push(dir);
  const db = new SQLite(path.join(dir, 'node.db'));
  for (const p of SQLITE_PRAGMAS) db.pragma(p);
  db.exec('create table t (id text primary key, n integer not null, blob blob)');
  db.prepare('insert into t values (?, ?, ?)').run('before', 1, null);
  return { dir, db };
}

/** The capture sees statements through a wrapper, as bench/node-child.ts installs it. */
function run(cap: StoreCapture, db: SQLite.Database, sql: string, ...args: unknown[]) {
  const st = db.prepare(sql);
  const method = st.reader ? 'all' : 'run';
  if (!cap.capturing(db)) return st[method](...args);
  const entry = cap.record(sql, method, args);
  try {
    return st[method](...args);
  } catch (e) {
    entry[3] = 1;
    throw e;
  }
}

describe('store replay', () => {
  it('replays the captured statements on the snapshot and ends in the same state', async () => {
    const { dir, db } = open();
    const cap = new StoreCapture();
    const snapshot = path.join(dir, 'snap.db');
    await cap.start(db, snapshot);
    run(cap, db, 'begin');
    run(cap, db, 'insert into t values (?, ?, ?)', 'a', 2, Buffer.from([1, 2, 3]));
    run(cap, db, 'update t set n = n + ? where id = ?', 10, 'before');
    run(cap, db, 'commit');
    // A failing statement fails in the replay too: that is not a divergence.
    expect(() => run(cap, db, 'insert into t values (?, ?, ?)', 'a', 3, null)).toThrow(/UNIQUE/);
    run(cap, db, 'select * from t where n > ?', 0);
    // A write outside a transaction is a commit of its own, as the node's counts have it.
    run(cap, db, 'update t set n = ? where id = ?', 7, 'a');
    const log = path.join(dir, 'log.bin');
    expect(cap.stop(log)).toEqual({ statements: 7, distinctSql: 6 });
    const expected = db.prepare('select * from t order by id').all();
    db.close();

    const replayed = path.join(dir, 'replayed.db');
    const r = replay(snapshot, log, replayed);
    expect(r).toMatchObject({ statements: 7, commits: 2, divergent: 0, firstDivergence: null });
    expect(r.cpuMs).toBeGreaterThan(0);
    const copy = new SQLite(replayed);
    expect(copy.prepare('select * from t order by id').all()).toEqual(expected);
    copy.close();
    // The snapshot itself is left as the window found it, to be replayed again.
    const again = replay(snapshot, log);
    expect(again.divergent).toBe(0);
  });

  it('reports a replay that does not end where the node did', async () => {
    const { dir, db } = open();
    const cap = new StoreCapture();
    const snapshot = path.join(dir, 'snap.db');
    await cap.start(db, snapshot);
    run(cap, db, 'insert into t values (?, ?, ?)', 'a', 2, null);
    const log = path.join(dir, 'log.bin');
    cap.stop(log);
    db.close();
    // The row the log inserts is already in the copy: the insert that worked in the node fails here.
    const copy = new SQLite(snapshot);
    copy.prepare('insert into t values (?, ?, ?)').run('a', 9, null);
    copy.close();
    const r = replay(snapshot, log);
    expect(r.divergent).toBe(1);
    expect(r.firstDivergence).toMatch(/^insert into t .*UNIQUE constraint failed/);
  });

  it('tells transaction control, commits and writes apart', () => {
    expect(sqlKind('commit')).toEqual({ control: true, commit: true, writes: true });
    expect(sqlKind('savepoint group_item')).toEqual({
      control: true,
      commit: false,
      writes: false,
    });
    expect(sqlKind(' insert into t values (?)')).toEqual({
      control: false,
      commit: false,
      writes: true,
    });
    expect(sqlKind('select * from t')).toEqual({ control: false, commit: false, writes: false });
  });

  it('does not record another connection, nor after it stops', async () => {
    const { dir, db } = open();
    const other = new SQLite(':memory:');
    const cap = new StoreCapture();
    await cap.start(db, path.join(dir, 'snap.db'));
    expect(cap.capturing(db)).toBe(true);
    expect(cap.capturing(other)).toBe(false);
    cap.stop(path.join(dir, 'log.bin'));
    expect(cap.capturing(db)).toBe(false);
    expect(() => cap.stop(path.join(dir, 'log.bin'))).toThrow(/no store capture/);
    other.close();
    db.close();
  });
});
