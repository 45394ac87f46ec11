/**
 * The agent's durable memory. Every method is synchronous and durable when it returns,
 * so "record, then act" is a plain sequence. `atomically` groups writes into one
 * transaction. Adapters: SQLite (the reference agent), memory (the fleet simulator).
 */
import type { CodeVerifier } from '../../contract/commands.ts';

/** One message waiting to be published, or kept after publishing for replay. */
export interface OutboxRow {
  id: number;
  kind: 'res' | 'evt';
  seq: number | null;
  topic: string;
  payload: string;
  sent: boolean;
}

/** A command the agent has accepted. `executing` with no response after a restart means unknown outcome. */
export interface CommandRecord {
  commandId: string;
  type: string;
  compartment: number | null;
  status: 'executing' | 'done';
  relayFired: boolean;
  receivedAt: number;
  /** The final response JSON, once decided. */
  response: string | null;
  /** The outbox row that carries the response. */
  outboxId: number | null;
}

/** An offline pickup: a code verified on the device that opens a compartment. */
export interface LocalOpenRecord {
  id: string;
  parcelId: string;
  compartment: number;
  status: 'executing' | 'done';
  relayFired: boolean;
  startedAt: number;
  outcome: string | null;
}

/** A parcel whose code a pickup spent on this device. */
export interface SpentCode {
  /** Device time of the spend (ms); only for pruning, never compared with a cloud value. */
  at: number;
  /** Salt of the spent verifier, or null when unknown. */
  salt: string | null;
}

/** The port. */
export interface AgentStore {
  /** Run fn in one transaction: all its writes happen, or none. */
  atomically<T>(fn: () => T): T;

  /** A small JSON value by key (settings, sync info, throttle, UV runs…). */
  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;

  /** Allocate the next event seq (1, 2, 3…), persisted. */
  nextSeq(): number;
  /** The last allocated seq (0 before the first). */
  lastSeq(): number;

  /** Append a message to the outbox; returns its id (ids grow in insertion order). */
  addOutbox(row: {
    kind: 'res' | 'evt';
    seq: number | null;
    topic: string;
    payload: string;
  }): number;
  /** Unsent rows in id order. */
  pendingOutbox(limit: number): OutboxRow[];
  pendingCount(): number;
  markSent(id: number): void;
  /** Mark a sent row unsent again; false when it no longer exists. */
  requeue(id: number): boolean;
  /** Mark stored events with seq in [fromSeq, toSeq] unsent again. */
  requeueSeqRange(fromSeq: number, toSeq: number): { count: number; oldestSeq: number };
  /** Delete sent rows beyond the newest `keep` sent rows. */
  pruneOutbox(keep: number): void;

  getCommand(commandId: string): CommandRecord | undefined;
  insertCommand(rec: CommandRecord): void;
  updateCommand(
    commandId: string,
    patch: Partial<Pick<CommandRecord, 'status' | 'relayFired' | 'response' | 'outboxId'>>,
  ): void;
  unfinishedCommands(): CommandRecord[];
  /** Forget finished commands received before `before` (ms). */
  pruneCommands(before: number): void;

  replaceVerifiers(list: readonly CodeVerifier[]): void;
  listVerifiers(): CodeVerifier[];
  deleteVerifier(parcelId: string): void;

  insertLocalOpen(rec: LocalOpenRecord): void;
  updateLocalOpen(
    id: string,
    patch: Partial<Pick<LocalOpenRecord, 'status' | 'relayFired' | 'outcome'>>,
  ): void;
  unfinishedLocalOpens(): LocalOpenRecord[];
  /** True when this parcel was already opened offline (its verifier must not come back). */
  parcelOpenedLocally(parcelId: string): boolean;
  /**
   * A pickup command opened this compartment: its codes are spent. Deletes the verifiers of
   * the compartment (a group shares one code) and keeps a tombstone per parcel: the salt of
   * the spent verifier (which names that exact code: the same code sealed again gives the
   * same salt) and the device's own time `at` (ms), used only to forget tombstones older
   * than `keepMs`. Returns the parcel ids.
   */
  spendCompartmentCodes(compartment: number, at: number, keepMs: number): string[];
  /** The tombstone of this parcel's spent code, or undefined; `salt` is null for one kept by an older agent (any code of the parcel counts as spent). */
  spentCode(parcelId: string): SpentCode | undefined;

  close(): void;
}
