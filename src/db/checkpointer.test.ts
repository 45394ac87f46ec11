/**
 * The WAL checkpoint runs on a worker thread (ADR 0039): commits on the main connection never
 * copy the WAL into the database file themselves while the worker is there, the worker does,
 * and without the worker the main connection checkpoints for itself again.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SQLITE_PRAGMAS } from '../kernel/sqlite.ts';
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  type Checkpointer,
  DEFAULT_AUTOCHECKPOINT_PAGES,
  startCheckpointer,
} from './checkpointer.ts';
import { openDatabase } from './database.ts';

let dir: string;
let file: string;
let raw: SQLite.Database;
let cp: Checkpointer | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-checkpoint-'));
  file = path.join(dir, 'c.db');
  raw = new SQLite(file);
  for (const p of SQLITE_PRAGMAS) raw.pragma(p);
  raw.exec('create table t (id integer primary key, body blob)');
});
afterEach(async () => {
  await cp?.stop();
  cp = undefined;
  raw.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PAGE = 4096;
const walPages = () => fs.statSync(`${file}-wal`).size / PAGE;
/** `n` commits of one page-sized row each: about two WAL frames per commit. */
const write = (n: number) => {
  const ins = raw.prepare('insert into t (body) values (?)');
  for (let i = 0; i < n; i++) ins.run(Buffer.alloc(3000, i % 256));
};
const autocheckpoint = () => raw.pragma('wal_autocheckpoint', { simple: true });

it('leaves the copy to the worker: commits let the WAL pass 1,000 pages, one checkpoint copies it all', async () => {
  cp = await startCheckpointer(raw, file, { intervalMs: 3_600_000 });
  expect(autocheckpoint()).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
  write(1500);
  // With SQLite's default the commit past 1,000 pages would have checkpointed and the WAL
  // would have started over from its beginning, never growing past ~1,000 pages.
  expect(walPages()).toBeGreaterThan(2 * DEFAULT_AUTOCHECKPOINT_PAGES);
  const frames = raw.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
  expect(frames[0]!.checkpointed).toBe(0);
  const stats = await cp.checkpoint();
  expect(stats.framesCopied).toBe(frames[0]!.log);
  expect(stats.failures).toBe(0);
  // Everything is in the main file: a fresh connection reading without the WAL sees it all.
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThan(1500 * PAGE * 0.9);
  // The next commit starts the WAL over from its beginning, so it stays bounded.
  write(1);
  const [after] = raw.pragma('wal_checkpoint(NOOP)') as { log: number }[];
  expect(after!.log).toBeLessThan(10);
});

it('checkpoints on its own every interval', async () => {
  cp = await startCheckpointer(raw, file, { intervalMs: 20 });
  write(300);
  const deadline = Date.now() + 5000;
  let copied = 0;
  while (Date.now() < deadline && copied === 0) {
    await new Promise((r) => setTimeout(r, 30));
    const [r] = raw.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
    copied = r!.checkpointed;
  }
  expect(copied).toBeGreaterThan(0);
});

it('gives the checkpoint back to the main connection when the worker cannot run', async () => {
  raw.pragma('wal_autocheckpoint = 77');
  const failures: Error[] = [];
  cp = await startCheckpointer(raw, path.join(dir, 'missing', 'nowhere.db'), {
    onFailure: (e) => failures.push(e),
  });
  expect(failures).toHaveLength(1);
  expect(autocheckpoint()).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
  write(1200);
  expect(walPages()).toBeLessThan(1.2 * DEFAULT_AUTOCHECKPOINT_PAGES);
});

it('stops cleanly: the main connection checkpoints for itself again', async () => {
  cp = await startCheckpointer(raw, file);
  await cp.stop();
  expect(autocheckpoint()).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
  // A second stop is a no-op, not a hang.
  await cp.stop();
});

it('an SQLite file database has a checkpointer; closing it closes the worker first and removes the WAL', async () => {
  const other = path.join(dir, 'db.db');
  const h = await openDatabase({ kind: 'sqlite', file: other });
  expect(h.checkpointer).toBeDefined();
  await h.db.schema.createTable('x').addColumn('id', 'integer').execute();
  expect(fs.existsSync(`${other}-wal`)).toBe(true);
  await h.destroy();
  // Only the last connection to close removes the WAL: the worker's closed before the main one.
  expect(fs.existsSync(`${other}-wal`)).toBe(false);
  const mem = await openDatabase({ kind: 'sqlite', file: ':memory:' });
  expect(mem.checkpointer).toBeUndefined();
  await mem.destroy();
});

it('closing the database is awaited to the end even when nothing else keeps the process alive', async () => {
  // The worker is unref'd (it must not hold a finished process open), so a close awaited at the
  // very end of a script once let Node end the process mid-await (exit code 13).
  const script = path.join(dir, 'close.mts'); // ESM outside the package
  const database = new URL('./database.ts', import.meta.url).href;
  fs.writeFileSync(
    script,
    `const { openDatabase } = await import(${JSON.stringify(database)});
const h = await openDatabase({ kind: 'sqlite', file: ${JSON.stringify(path.join(dir, 'close.db'))} });
await h.db.schema.createTable('x').addColumn('id', 'integer').execute();
await h.destroy();
console.log('closed');
`,
  );
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { cwd: process.cwd() },
      (_e, stdout, stderr) => resolve({ code: child.exitCode, stdout: stdout + stderr }),
    );
  });
  expect(out).toEqual({ code: 0, stdout: 'closed\n' });
});
