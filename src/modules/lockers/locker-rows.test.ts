/**
 * Locker rows kept in memory on SQLite (locker-rows.ts): an idle locker's heartbeat reads
 * nothing, and no write through this module's repositories can leave a stale row behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heartbeatMessage } from '../../../test/factories.ts';
import { filesMatching, tableWrite } from '../../../test/sources.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { lockerTopic } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { transact } from '../../db/transact.ts';
import { iso } from '../../platform/clock.ts';
import { bumpSyncRevision } from './code-sync.repository.ts';
import { retire } from './credentials.repository.ts';
import { ingest } from './ingest.service.ts';
import { findLockerCached, markSeen, takeNextSeq, updateLocker } from './locker.repository.ts';
import { createLocker } from './locker.service.ts';

const L = 'rowcache-0001';

describeEachDialect('locker rows kept in memory', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '缓存柜',
      compartments: demoLayout(4),
    });
  });
  const heartbeat = (lastSeq = 0) =>
    ingest(t.deps, {}, lockerTopic(L, 'evt'), heartbeatMessage(t.clock, L, lastSeq));

  it('an idle locker’s second heartbeat runs no statement on SQLite (PostgreSQL reads every time)', async () => {
    await heartbeat();
    const counts = t.database.counts;
    if (!counts) return expect(dialect).toBe('postgres');
    const before = counts.statements;
    expect(await heartbeat()).toEqual({ applied: true, what: 'heartbeat' });
    expect(counts.statements - before).toBe(0);
  });

  it('a write through the repositories is seen by the next read, in a transaction only once it commits', async () => {
    await findLockerCached(t.database.db, L);
    await updateLocker(t.database.db, L, { name: '改名柜' });
    expect((await findLockerCached(t.database.db, L))?.name).toBe('改名柜');
    // Rolled back: the kept row must not be the one the transaction wrote.
    await expect(
      transact(t.database.db, async (trx) => {
        await updateLocker(trx, L, { name: '回滚柜' });
        expect((await findLockerCached(trx, L))?.name).toBe('回滚柜');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await findLockerCached(t.database.db, L))?.name).toBe('改名柜');
    await transact(t.database.db, (trx) => updateLocker(trx, L, { name: '提交柜' }));
    expect((await findLockerCached(t.database.db, L))?.name).toBe('提交柜');
  });

  it('a kept row is shared, so it is frozen: changing it throws instead of corrupting it', async () => {
    const row = await findLockerCached(t.database.db, L);
    if (dialect === 'postgres') return expect(Object.isFrozen(row)).toBe(false);
    expect(() => {
      (row as { name: string }).name = '篡改';
    }).toThrow(TypeError);
    expect((await findLockerCached(t.database.db, L))?.name).not.toBe('篡改');
  });

  it('sightings written behind move the kept row’s last_seen_at with them, never back', async () => {
    const later = iso(t.clock.now() + 60_000);
    await markSeen(t.database.db, [{ id: L, at: later }]);
    expect((await findLockerCached(t.database.db, L))?.last_seen_at).toBe(later);
    await markSeen(t.database.db, [{ id: L, at: iso(t.clock.now()) }]);
    expect((await findLockerCached(t.database.db, L))?.last_seen_at).toBe(later);
  });

  it('a fact in order moves last_seq on the kept row and in the database alike, only once it commits', async () => {
    const db = t.database.db;
    const stored = async () =>
      (await db.selectFrom('lockers').selectAll().where('id', '=', L).executeTakeFirstOrThrow())
        .last_seq;
    const before = (await findLockerCached(db, L))!;
    const at = iso(t.clock.now());
    const taken = await transact(db, (trx) => takeNextSeq(trx, L, before.last_seq + 1, at));
    expect(taken).toMatchObject({ id: L, last_seq: before.last_seq + 1, last_seen_at: at });
    expect(await stored()).toBe(before.last_seq + 1);
    expect(await findLockerCached(db, L)).toEqual(taken);
    // Out of order (a duplicate, a gap): nothing is written, the caller takes the long way.
    expect(await transact(db, (trx) => takeNextSeq(trx, L, before.last_seq + 1, at))).toBe(
      undefined,
    );
    expect(await transact(db, (trx) => takeNextSeq(trx, L, before.last_seq + 5, at))).toBe(
      undefined,
    );
    expect(await stored()).toBe(before.last_seq + 1);
    // Rolled back: neither the database nor the kept row moves.
    await expect(
      transact(db, async (trx) => {
        expect(await takeNextSeq(trx, L, before.last_seq + 2, at)).toBeDefined();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stored()).toBe(before.last_seq + 1);
    expect((await findLockerCached(db, L))?.last_seq).toBe(before.last_seq + 1);
  });

  it('a sync revision bump keeps the row kept, with the new revision', async () => {
    const db = t.database.db;
    const kept = (await findLockerCached(db, L))!;
    const target = await transact(db, (trx) => bumpSyncRevision(trx, L, 0));
    const stored = await db
      .selectFrom('lockers')
      .selectAll()
      .where('id', '=', L)
      .executeTakeFirstOrThrow();
    expect(target?.sync_revision).toBe(stored.sync_revision);
    expect(stored.sync_revision).toBeGreaterThan(kept.sync_revision);
    expect(await findLockerCached(db, L)).toEqual(stored);
  });

  it('a kept row the database no longer matches is forgotten, not written over', async () => {
    const db = t.database.db;
    const kept = (await findLockerCached(db, L))!;
    // A write that bypassed the repositories (the contract forbids it; this is the belt and braces).
    await db
      .updateTable('lockers')
      .set({ last_seq: kept.last_seq + 10 })
      .where('id', '=', L)
      .execute();
    const at = iso(t.clock.now());
    expect(await transact(db, (trx) => takeNextSeq(trx, L, kept.last_seq + 1, at))).toBe(undefined);
    expect((await findLockerCached(db, L))?.last_seq).toBe(kept.last_seq + 10);
  });

  it('a retired locker’s next heartbeat is refused, though its row was kept', async () => {
    expect(await heartbeat()).toMatchObject({ applied: true });
    await retire(t.database.db, L, iso(t.clock.now()));
    expect(await heartbeat()).toMatchObject({ applied: false });
  });
});

describe('every write to lockers tells the cache', () => {
  const dir = path.dirname(new URL(import.meta.url).pathname);
  const WRITE = tableWrite('lockers');

  it('each function of the lockers repositories that writes the table calls wroteLocker, rememberLocker or sightingWritten after it', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.repository.ts'));
    let writers = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      // Top-level declarations: functions, and statements prepared once (`const x = prepare(…)`).
      const parts = text.split(/\n(?=(?:export )?(?:async )?function |(?:export )?const )/);
      const writingStatements = parts
        .filter((p) => p.startsWith('const') && WRITE.test(p))
        .map((p) => /const (\w+)/.exec(p)![1]!);
      for (const fn of parts.filter((p) => /^(?:export )?(?:async )?function /.test(p))) {
        const m =
          WRITE.exec(fn) ?? new RegExp(`\\b(${writingStatements.join('|') || '$^'})\\.`).exec(fn);
        if (!m) continue;
        writers++;
        const name = /function (\w+)/.exec(fn)![1];
        const after = fn.slice(m.index);
        expect(
          /wroteLocker\(|rememberLocker\(|sightingWritten\(/.test(after),
          `${f}: ${name}`,
        ).toBe(true);
      }
    }
    expect(writers).toBeGreaterThanOrEqual(16);
  });

  it('no file outside the lockers module writes the lockers table (migrations aside)', () => {
    expect(filesMatching(WRITE, (d) => d === dir)).toEqual([]);
  });
});
