/**
 * The Store port in memory, for the fleet simulator: 1,500 lockers in one process
 * cannot each keep a SQLite file cheaply. The object outlives a simulated agent crash
 * (like a disk would), so recovery behaves as on a real device.
 */
import type { CodeVerifier } from '../../contract/commands.ts';
import type {
  AgentStore,
  CommandRecord,
  LocalOpenRecord,
  OutboxRow,
  SpentCode,
} from '../ports/store.ts';

/** In-memory implementation of AgentStore; atomically() keeps an undo log and rolls back on throw. */
export class MemoryStore implements AgentStore {
  private meta = new Map<string, string>();
  private seq = 0;
  private nextOutboxId = 1;
  private outbox: OutboxRow[] = [];
  private commands = new Map<string, CommandRecord>();
  private verifiers: CodeVerifier[] = [];
  private localOpens = new Map<string, LocalOpenRecord>();
  private spent = new Map<string, SpentCode>();
  private undo: (() => void)[] | null = null;

  atomically<T>(fn: () => T): T {
    if (this.undo) return fn();
    this.undo = [];
    try {
      return fn();
    } catch (e) {
      for (const u of this.undo.reverse()) u();
      throw e;
    } finally {
      this.undo = null;
    }
  }

  private onUndo(u: () => void): void {
    this.undo?.push(u);
  }

  getMeta<T>(key: string): T | undefined {
    const v = this.meta.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  setMeta(key: string, value: unknown): void {
    const prev = this.meta.get(key);
    this.onUndo(() => (prev === undefined ? this.meta.delete(key) : this.meta.set(key, prev)));
    this.meta.set(key, JSON.stringify(value));
  }

  nextSeq(): number {
    this.onUndo(() => this.seq--);
    return ++this.seq;
  }
  lastSeq(): number {
    return this.seq;
  }

  addOutbox(row: {
    kind: 'res' | 'evt';
    seq: number | null;
    topic: string;
    payload: string;
  }): number {
    const id = this.nextOutboxId++;
    this.outbox.push({ id, ...row, sent: false });
    this.onUndo(() => {
      this.outbox = this.outbox.filter((r) => r.id !== id);
      this.nextOutboxId--;
    });
    return id;
  }
  pendingOutbox(limit: number): OutboxRow[] {
    const out: OutboxRow[] = [];
    for (const r of this.outbox) {
      if (out.length >= limit) break;
      if (!r.sent) out.push({ ...r });
    }
    return out;
  }
  pendingCount(): number {
    return this.outbox.reduce((n, r) => n + (r.sent ? 0 : 1), 0);
  }
  markSent(id: number): void {
    this.setSent(id, true);
  }
  requeue(id: number): boolean {
    return this.setSent(id, false);
  }
  private setSent(id: number, sent: boolean): boolean {
    const r = this.outbox.find((x) => x.id === id);
    if (!r) return false;
    const prev = r.sent;
    this.onUndo(() => (r.sent = prev));
    r.sent = sent;
    return true;
  }
  requeueSeqRange(fromSeq: number, toSeq: number): { count: number; oldestSeq: number } {
    let count = 0;
    let oldest = 0;
    for (const r of this.outbox) {
      if (r.seq === null) continue;
      if (oldest === 0 || r.seq < oldest) oldest = r.seq;
      if (r.seq >= fromSeq && r.seq <= toSeq && r.sent) {
        this.setSent(r.id, false);
        count++;
      }
    }
    return { count, oldestSeq: oldest };
  }
  pruneOutbox(keep: number): void {
    const sent = this.outbox.filter((r) => r.sent);
    if (sent.length <= keep) return;
    const drop = new Set(sent.slice(0, sent.length - keep).map((r) => r.id));
    const prev = this.outbox;
    this.onUndo(() => (this.outbox = prev));
    this.outbox = this.outbox.filter((r) => !drop.has(r.id));
  }

  getCommand(commandId: string): CommandRecord | undefined {
    const c = this.commands.get(commandId);
    return c && { ...c };
  }
  insertCommand(rec: CommandRecord): void {
    if (this.commands.has(rec.commandId))
      throw new Error(`command ${rec.commandId} already recorded`);
    this.commands.set(rec.commandId, { ...rec });
    this.onUndo(() => this.commands.delete(rec.commandId));
  }
  updateCommand(
    commandId: string,
    patch: Partial<Pick<CommandRecord, 'status' | 'relayFired' | 'response' | 'outboxId'>>,
  ): void {
    const c = this.commands.get(commandId);
    if (!c) return;
    const prev = { ...c };
    this.onUndo(() => this.commands.set(commandId, prev));
    this.commands.set(commandId, { ...c, ...patch });
  }
  unfinishedCommands(): CommandRecord[] {
    return [...this.commands.values()]
      .filter((c) => c.status === 'executing')
      .map((c) => ({ ...c }));
  }
  pruneCommands(before: number): void {
    for (const [id, c] of this.commands) {
      if (c.status !== 'done' || c.receivedAt >= before) continue;
      this.onUndo(() => this.commands.set(id, c));
      this.commands.delete(id);
    }
  }

  replaceVerifiers(list: readonly CodeVerifier[]): void {
    const prev = this.verifiers;
    this.onUndo(() => (this.verifiers = prev));
    this.verifiers = list.map((v) => ({ ...v }));
  }
  listVerifiers(): CodeVerifier[] {
    return this.verifiers.map((v) => ({ ...v }));
  }
  deleteVerifier(parcelId: string): void {
    const prev = this.verifiers;
    this.onUndo(() => (this.verifiers = prev));
    this.verifiers = this.verifiers.filter((v) => v.parcelId !== parcelId);
  }

  insertLocalOpen(rec: LocalOpenRecord): void {
    this.localOpens.set(rec.id, { ...rec });
    this.onUndo(() => this.localOpens.delete(rec.id));
  }
  updateLocalOpen(
    id: string,
    patch: Partial<Pick<LocalOpenRecord, 'status' | 'relayFired' | 'outcome'>>,
  ): void {
    const r = this.localOpens.get(id);
    if (!r) return;
    this.onUndo(() => this.localOpens.set(id, r));
    this.localOpens.set(id, { ...r, ...patch });
  }
  unfinishedLocalOpens(): LocalOpenRecord[] {
    return [...this.localOpens.values()]
      .filter((r) => r.status === 'executing')
      .map((r) => ({ ...r }));
  }
  parcelOpenedLocally(parcelId: string): boolean {
    for (const r of this.localOpens.values())
      if (r.parcelId === parcelId && r.outcome !== 'door_jammed') return true;
    return false;
  }
  spendCompartmentCodes(compartment: number, at: number, keepMs: number): string[] {
    const prevVerifiers = this.verifiers;
    const prevSpent = new Map(this.spent);
    this.onUndo(() => {
      this.verifiers = prevVerifiers;
      this.spent = prevSpent;
    });
    const spent = this.verifiers.filter((v) => v.compartment === compartment);
    for (const v of spent) this.spent.set(v.parcelId, { at, salt: v.salt });
    this.verifiers = this.verifiers.filter((v) => v.compartment !== compartment);
    for (const [id, t] of this.spent) if (t.at < at - keepMs) this.spent.delete(id);
    return spent.map((v) => v.parcelId);
  }

  spentCode(parcelId: string): SpentCode | undefined {
    const t = this.spent.get(parcelId);
    return t ? { ...t } : undefined;
  }

  close(): void {}
}
