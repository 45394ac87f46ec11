/** The Store port's contract, run against both adapters. */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentStore } from '../ports/store.ts';
import { tempDir } from '../testing/fixtures.ts';
import { MemoryStore } from './memory-store.ts';
import { SqliteStore } from './sqlite-store.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

const adapters: [string, () => AgentStore][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore(path.join(tmp.dir, `s${++n}.db`))],
];

const row = (seq: number | null, payload = `p${seq}`) => ({
  kind: seq === null ? ('res' as const) : ('evt' as const),
  seq,
  topic: 't',
  payload,
});

describe.each(adapters)('%s store', (_name, make) => {
  it('allocates gapless seqs and keeps the outbox in insertion order', () => {
    const s = make();
    expect(s.lastSeq()).toBe(0);
    const ids = [s.nextSeq(), s.nextSeq(), s.nextSeq()].map((seq) => s.addOutbox(row(seq)));
    s.addOutbox(row(null, 'response'));
    expect(s.pendingOutbox(10).map((r) => r.payload)).toEqual(['p1', 'p2', 'p3', 'response']);
    s.markSent(ids[0]!);
    expect(s.pendingOutbox(2).map((r) => r.seq)).toEqual([2, 3]);
    expect(s.pendingCount()).toBe(3);
    expect(s.requeue(ids[0]!)).toBe(true);
    expect(s.pendingOutbox(1)[0]!.seq).toBe(1);
    s.close();
  });

  it('rolls back everything a failed transaction did', () => {
    const s = make();
    s.nextSeq();
    expect(() =>
      s.atomically(() => {
        s.addOutbox(row(s.nextSeq()));
        s.setMeta('k', 1);
        s.insertCommand({
          commandId: 'c-00000001',
          type: 'open',
          compartment: 1,
          status: 'executing',
          relayFired: false,
          receivedAt: 1,
          response: null,
          outboxId: null,
        });
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(s.lastSeq()).toBe(1);
    expect(s.pendingCount()).toBe(0);
    expect(s.getMeta('k')).toBeUndefined();
    expect(s.getCommand('c-00000001')).toBeUndefined();
    s.close();
  });

  it('requeues a seq range and prunes only old sent rows', () => {
    const s = make();
    const ids = Array.from({ length: 10 }, () => s.addOutbox(row(s.nextSeq())));
    ids.forEach((id) => s.markSent(id));
    expect(s.requeueSeqRange(3, 5)).toEqual({ count: 3, oldestSeq: 1 });
    expect(s.pendingOutbox(10).map((r) => r.seq)).toEqual([3, 4, 5]);
    s.pruneOutbox(4); // keeps the 4 newest sent rows: 7..10 (3..5 are unsent, so kept too)
    expect(s.requeueSeqRange(1, 10)).toEqual({ count: 4, oldestSeq: 3 });
    expect(s.pendingOutbox(20).map((r) => r.seq)).toEqual([3, 4, 5, 7, 8, 9, 10]);
    s.close();
  });

  it('tracks commands, verifiers and offline pickups', () => {
    const s = make();
    s.insertCommand({
      commandId: 'c-00000002',
      type: 'open',
      compartment: 2,
      status: 'executing',
      relayFired: false,
      receivedAt: 5,
      response: null,
      outboxId: null,
    });
    expect(s.unfinishedCommands().map((c) => c.commandId)).toEqual(['c-00000002']);
    s.updateCommand('c-00000002', { relayFired: true });
    s.updateCommand('c-00000002', { status: 'done', response: '{}', outboxId: 7 });
    expect(s.getCommand('c-00000002')).toMatchObject({
      status: 'done',
      relayFired: true,
      response: '{}',
      outboxId: 7,
    });
    expect(s.unfinishedCommands()).toEqual([]);
    s.pruneCommands(6);
    expect(s.getCommand('c-00000002')).toBeUndefined();

    const v = {
      parcelId: 'p-1',
      compartment: 1,
      salt: 'c2FsdHNhbHRzYWx0c2FsdA==',
      hash: 'A'.repeat(43) + '=',
      expiresAt: '2026-12-01T00:00:00.000Z',
    };
    s.replaceVerifiers([v, { ...v, parcelId: 'p-2' }]);
    s.deleteVerifier('p-1');
    expect(s.listVerifiers()).toEqual([{ ...v, parcelId: 'p-2' }]);

    s.insertLocalOpen({
      id: 'l-1',
      parcelId: 'p-9',
      compartment: 3,
      status: 'executing',
      relayFired: false,
      startedAt: 1,
      outcome: null,
    });
    expect(s.parcelOpenedLocally('p-9')).toBe(true);
    s.updateLocalOpen('l-1', { status: 'done', outcome: 'door_jammed' });
    expect(s.parcelOpenedLocally('p-9')).toBe(false); // a jammed door leaves the code usable
    expect(s.unfinishedLocalOpens()).toEqual([]);
    s.close();
  });

  it("spends a compartment's codes, undoes that with a failed transaction, and forgets old spends", () => {
    const s = make();
    const v = (parcelId: string, compartment: number) => ({
      parcelId,
      compartment,
      salt: 'c2FsdHNhbHRzYWx0c2FsdA==',
      hash: 'A'.repeat(43) + '=',
      expiresAt: '2026-12-01T00:00:00.000Z',
    });
    s.replaceVerifiers([v('a', 1), v('b', 1), v('c', 2)]);
    expect(() =>
      s.atomically(() => {
        s.spendCompartmentCodes(1, 1000, 10_000);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(
      s
        .listVerifiers()
        .map((x) => x.parcelId)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(s.spentCode('a')).toBeUndefined();
    expect(s.spendCompartmentCodes(1, 1000, 10_000).sort()).toEqual(['a', 'b']);
    expect(s.listVerifiers().map((x) => x.parcelId)).toEqual(['c']);
    expect(s.spentCode('b')).toEqual({ at: 1000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==' });
    expect(s.spendCompartmentCodes(2, 20_000, 10_000)).toEqual(['c']);
    expect(s.spentCode('a')).toBeUndefined(); // older than keepMs at the later spend
    expect(s.spentCode('c')?.at).toBe(20_000);
    s.close();
  });
});

describe('sqlite store durability', () => {
  it('keeps everything after reopening the file', () => {
    const file = path.join(tmp.dir, 'reopen.db');
    const a = new SqliteStore(file);
    a.addOutbox(row(a.nextSeq()));
    a.setMeta('settings', { heartbeatSeconds: 30 });
    a.close();
    const b = new SqliteStore(file);
    expect(b.lastSeq()).toBe(1);
    expect(b.pendingOutbox(5)).toHaveLength(1);
    expect(b.getMeta('settings')).toEqual({ heartbeatSeconds: 30 });
    b.close();
  });

  it('adds the tombstone salt to a store file an older agent wrote; its spends stay spent', () => {
    const file = path.join(tmp.dir, 'old-spent.db');
    const old = new SQLite(file);
    old.exec('create table spent_codes (parcel_id text primary key, spent_at integer not null)');
    old.prepare('insert into spent_codes values (?, ?)').run('old-parcel', 5000);
    old.close();
    const s = new SqliteStore(file);
    expect(s.spentCode('old-parcel')).toEqual({ at: 5000, salt: null });
    s.close();
  });
});
