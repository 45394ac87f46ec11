/**
 * The Store port on a local SQLite file (better-sqlite3). The agent's promises —
 * "executing" recorded before the relay fires, the response recorded before it is
 * published, seq never reused — hold across kill -9 and power loss because every call
 * commits before it returns and the file runs with synchronous = FULL.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { CodeVerifier } from '../../contract/commands.ts';
import { SQLITE_PRAGMAS } from '../../kernel/sqlite.ts';
import type {
  AgentStore,
  CommandRecord,
  LocalOpenRecord,
  OutboxRow,
  SpentCode,
} from '../ports/store.ts';

const SCHEMA = `
create table if not exists meta (key text primary key, value text not null);
create table if not exists outbox (
  id integer primary key autoincrement,
  kind text not null check (kind in ('res', 'evt')),
  seq integer unique,
  topic text not null,
  payload text not null,
  sent integer not null default 0
);
create index if not exists outbox_unsent on outbox (id) where sent = 0;
create table if not exists commands (
  command_id text primary key,
  type text not null,
  compartment integer,
  status text not null check (status in ('executing', 'done')),
  relay_fired integer not null default 0,
  received_at integer not null,
  response text,
  outbox_id integer
);
create index if not exists commands_executing on commands (status) where status = 'executing';
create table if not exists verifiers (
  parcel_id text primary key,
  compartment integer not null,
  salt text not null,
  hash text not null,
  expires_at text not null
);
create table if not exists local_opens (
  id text primary key,
  parcel_id text not null,
  compartment integer not null,
  status text not null check (status in ('executing', 'done')),
  relay_fired integer not null default 0,
  started_at integer not null,
  outcome text
);
create index if not exists local_opens_parcel on local_opens (parcel_id);
create table if not exists spent_codes (
  parcel_id text primary key,
  spent_at integer not null,
  salt text
);
`;

/** Columns added after a store file may already exist on a deployed locker. */
const ADDED_COLUMNS = [{ table: 'spent_codes', column: 'salt', type: 'text' }] as const;

type Row = Record<string, unknown>;

const toCommand = (r: Row): CommandRecord => ({
  commandId: r['command_id'] as string,
  type: r['type'] as string,
  compartment: r['compartment'] as number | null,
  status: r['status'] as CommandRecord['status'],
  relayFired: r['relay_fired'] === 1,
  receivedAt: r['received_at'] as number,
  response: r['response'] as string | null,
  outboxId: r['outbox_id'] as number | null,
});

const toLocalOpen = (r: Row): LocalOpenRecord => ({
  id: r['id'] as string,
  parcelId: r['parcel_id'] as string,
  compartment: r['compartment'] as number,
  status: r['status'] as LocalOpenRecord['status'],
  relayFired: r['relay_fired'] === 1,
  startedAt: r['started_at'] as number,
  outcome: r['outcome'] as string | null,
});

function prepareStatements(db: SQLite.Database) {
  return {
    getMeta: db.prepare('select value from meta where key = ?').pluck(),
    setMeta: db.prepare(
      'insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
    ),
    addOutbox: db.prepare('insert into outbox (kind, seq, topic, payload) values (?, ?, ?, ?)'),
    pending: db.prepare('select * from outbox where sent = 0 order by id limit ?'),
    pendingCount: db.prepare('select count(*) from outbox where sent = 0').pluck(),
    setSent: db.prepare('update outbox set sent = ? where id = ?'),
    requeueRange: db.prepare('update outbox set sent = 0 where seq between ? and ? and sent = 1'),
    oldestSeq: db.prepare('select min(seq) from outbox where seq is not null').pluck(),
    prune: db.prepare(
      'delete from outbox where sent = 1 and id < (select coalesce(min(id), 0) from (select id from outbox where sent = 1 order by id desc limit ?))',
    ),
    getCommand: db.prepare('select * from commands where command_id = ?'),
    insertCommand: db.prepare(
      'insert into commands (command_id, type, compartment, status, relay_fired, received_at, response, outbox_id) values (@commandId, @type, @compartment, @status, @relayFired, @receivedAt, @response, @outboxId)',
    ),
    executing: db.prepare("select * from commands where status = 'executing' order by received_at"),
    pruneCommands: db.prepare("delete from commands where status = 'done' and received_at < ?"),
    clearVerifiers: db.prepare('delete from verifiers'),
    addVerifier: db.prepare(
      'insert into verifiers (parcel_id, compartment, salt, hash, expires_at) values (@parcelId, @compartment, @salt, @hash, @expiresAt)',
    ),
    listVerifiers: db.prepare(
      'select parcel_id as parcelId, compartment, salt, hash, expires_at as expiresAt from verifiers order by parcel_id',
    ),
    deleteVerifier: db.prepare('delete from verifiers where parcel_id = ?'),
    insertLocalOpen: db.prepare(
      'insert into local_opens (id, parcel_id, compartment, status, relay_fired, started_at, outcome) values (@id, @parcelId, @compartment, @status, @relayFired, @startedAt, @outcome)',
    ),
    unfinishedLocal: db.prepare(
      "select * from local_opens where status = 'executing' order by started_at",
    ),
    openedLocally: db
      .prepare(
        "select 1 from local_opens where parcel_id = ? and coalesce(outcome, '') <> 'door_jammed' limit 1",
      )
      .pluck(),
    verifiersIn: db.prepare('select parcel_id, salt from verifiers where compartment = ?'),
    deleteVerifiersIn: db.prepare('delete from verifiers where compartment = ?'),
    insertSpent: db.prepare(
      'insert into spent_codes (parcel_id, spent_at, salt) values (?, ?, ?) on conflict (parcel_id) do update set spent_at = excluded.spent_at, salt = excluded.salt',
    ),
    pruneSpent: db.prepare('delete from spent_codes where spent_at < ?'),
    spent: db.prepare('select spent_at, salt from spent_codes where parcel_id = ?'),
  };
}

/** Open (or create) the agent's store at `file` (':memory:' for tests). */
export class SqliteStore implements AgentStore {
  private readonly db: SQLite.Database;
  private readonly q: ReturnType<typeof prepareStatements>;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new SQLite(file);
    // The server's pragmas, except that a locker must survive power loss, not just a crash.
    for (const p of SQLITE_PRAGMAS)
      this.db.pragma(p.startsWith('synchronous') ? 'synchronous = FULL' : p);
    this.db.exec(SCHEMA);
    for (const a of ADDED_COLUMNS) {
      const cols = this.db.pragma(`table_info(${a.table})`) as { name: string }[];
      if (!cols.some((c) => c.name === a.column))
        this.db.exec(`alter table ${a.table} add column ${a.column} ${a.type}`);
    }
    this.q = prepareStatements(this.db);
  }

  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  getMeta<T>(key: string): T | undefined {
    const v = this.q.getMeta.get(key) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  setMeta(key: string, value: unknown): void {
    this.q.setMeta.run(key, JSON.stringify(value));
  }

  nextSeq(): number {
    return this.atomically(() => {
      const next = this.lastSeq() + 1;
      this.setMeta('seq', next);
      return next;
    });
  }
  lastSeq(): number {
    return this.getMeta<number>('seq') ?? 0;
  }

  addOutbox(row: {
    kind: 'res' | 'evt';
    seq: number | null;
    topic: string;
    payload: string;
  }): number {
    return Number(this.q.addOutbox.run(row.kind, row.seq, row.topic, row.payload).lastInsertRowid);
  }
  pendingOutbox(limit: number): OutboxRow[] {
    return (this.q.pending.all(limit) as Row[]).map((r) => ({
      id: r['id'] as number,
      kind: r['kind'] as OutboxRow['kind'],
      seq: r['seq'] as number | null,
      topic: r['topic'] as string,
      payload: r['payload'] as string,
      sent: r['sent'] === 1,
    }));
  }
  pendingCount(): number {
    return this.q.pendingCount.get() as number;
  }
  markSent(id: number): void {
    this.q.setSent.run(1, id);
  }
  requeue(id: number): boolean {
    return this.q.setSent.run(0, id).changes > 0;
  }
  requeueSeqRange(fromSeq: number, toSeq: number): { count: number; oldestSeq: number } {
    const count = this.q.requeueRange.run(fromSeq, toSeq).changes;
    return { count, oldestSeq: (this.q.oldestSeq.get() as number | null) ?? 0 };
  }
  pruneOutbox(keep: number): void {
    this.q.prune.run(keep);
  }

  getCommand(commandId: string): CommandRecord | undefined {
    const r = this.q.getCommand.get(commandId) as Row | undefined;
    return r && toCommand(r);
  }
  insertCommand(rec: CommandRecord): void {
    this.q.insertCommand.run({ ...rec, relayFired: rec.relayFired ? 1 : 0 });
  }
  updateCommand(
    commandId: string,
    patch: Partial<Pick<CommandRecord, 'status' | 'relayFired' | 'response' | 'outboxId'>>,
  ): void {
    const cols: Record<string, unknown> = {};
    if (patch.status !== undefined) cols['status'] = patch.status;
    if (patch.relayFired !== undefined) cols['relay_fired'] = patch.relayFired ? 1 : 0;
    if (patch.response !== undefined) cols['response'] = patch.response;
    if (patch.outboxId !== undefined) cols['outbox_id'] = patch.outboxId;
    const keys = Object.keys(cols);
    if (keys.length === 0) return;
    this.db
      .prepare(
        `update commands set ${keys.map((k) => `${k} = @${k}`).join(', ')} where command_id = @id`,
      )
      .run({ ...cols, id: commandId });
  }
  unfinishedCommands(): CommandRecord[] {
    return (this.q.executing.all() as Row[]).map(toCommand);
  }
  pruneCommands(before: number): void {
    this.q.pruneCommands.run(before);
  }

  replaceVerifiers(list: readonly CodeVerifier[]): void {
    this.atomically(() => {
      this.q.clearVerifiers.run();
      for (const v of list) this.q.addVerifier.run(v);
    });
  }
  listVerifiers(): CodeVerifier[] {
    return this.q.listVerifiers.all() as CodeVerifier[];
  }
  deleteVerifier(parcelId: string): void {
    this.q.deleteVerifier.run(parcelId);
  }

  insertLocalOpen(rec: LocalOpenRecord): void {
    this.q.insertLocalOpen.run({ ...rec, relayFired: rec.relayFired ? 1 : 0 });
  }
  updateLocalOpen(
    id: string,
    patch: Partial<Pick<LocalOpenRecord, 'status' | 'relayFired' | 'outcome'>>,
  ): void {
    const cols: Record<string, unknown> = {};
    if (patch.status !== undefined) cols['status'] = patch.status;
    if (patch.relayFired !== undefined) cols['relay_fired'] = patch.relayFired ? 1 : 0;
    if (patch.outcome !== undefined) cols['outcome'] = patch.outcome;
    const keys = Object.keys(cols);
    if (keys.length === 0) return;
    this.db
      .prepare(
        `update local_opens set ${keys.map((k) => `${k} = @${k}`).join(', ')} where id = @id`,
      )
      .run({ ...cols, id });
  }
  unfinishedLocalOpens(): LocalOpenRecord[] {
    return (this.q.unfinishedLocal.all() as Row[]).map(toLocalOpen);
  }
  parcelOpenedLocally(parcelId: string): boolean {
    return this.q.openedLocally.get(parcelId) !== undefined;
  }

  spendCompartmentCodes(compartment: number, at: number, keepMs: number): string[] {
    return this.db.transaction(() => {
      const rows = this.q.verifiersIn.all(compartment) as { parcel_id: string; salt: string }[];
      for (const r of rows) this.q.insertSpent.run(r.parcel_id, at, r.salt);
      this.q.deleteVerifiersIn.run(compartment);
      this.q.pruneSpent.run(at - keepMs);
      return rows.map((r) => r.parcel_id);
    })();
  }

  spentCode(parcelId: string): SpentCode | undefined {
    const r = this.q.spent.get(parcelId) as { spent_at: number; salt: string | null } | undefined;
    return r ? { at: r.spent_at, salt: r.salt } : undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
