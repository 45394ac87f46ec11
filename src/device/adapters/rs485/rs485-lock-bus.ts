/**
 * The LockBus port on RS485 lock boards (8A/80 frames, lockboard-frame.ts) over any
 * Duplex — a serial port in the field, FakeLockBoard in tests. The bus is half duplex:
 * one transaction at a time, unlocks ahead of polls, an unlock is never repeated by
 * itself (a lost reply means "unconfirmed", ADR 0010), and after a timeout or a bad
 * frame the line is drained so a late reply is never taken for the next answer.
 * These boards have no UV or occupancy channels, so those capabilities are off.
 */
import type { Duplex } from 'node:stream';
import {
  type DoorState,
  type LockBus,
  type LockBusEvent,
  type LockState,
  RelayUnconfirmedError,
} from '../../ports/lock-bus.ts';
import {
  type BoardRequest,
  type BoardResponse,
  encodeRequest,
  extractResponse,
} from './lockboard-frame.ts';

/** Where a compartment's lock sits on the bus. */
export interface ChannelMapping {
  compartment: number;
  board: number;
  channel: number;
}

/** Options of the RS485 lock bus. */
export interface Rs485Options {
  port: Duplex;
  mapping: readonly ChannelMapping[];
  /** Which signal level means "closed" for the installed locks. Default closed_high. */
  feedback?: 'closed_high' | 'open_high';
  /** Status bytes in a query-all reply. Default 3. */
  statusBytes?: number;
  /** Door poll period. Default 250 ms. */
  pollMs?: number;
  /** Wait this long for a reply (an unlock reply takes ~500 ms on real boards). Default 1500 ms. */
  responseTimeoutMs?: number;
  /** Silence that ends a failed transaction before the next one. Default 25 ms. */
  quietMs?: number;
}

interface Job {
  req: BoardRequest;
  resolve: (r: BoardResponse) => void;
  reject: (e: Error) => void;
}

/** LockBus adapter for RS485 lock boards. */
export class Rs485LockBus implements LockBus {
  readonly compartments: readonly number[];
  readonly capabilities = { uv: false, occupancy: false } as const;
  private readonly byCompartment = new Map<number, ChannelMapping>();
  private readonly doors = new Map<number, DoorState>();
  private readonly listeners = new Set<(e: LockBusEvent) => void>();
  private readonly urgent: Job[] = [];
  private readonly routine: Job[] = [];
  private rx = Buffer.alloc(0);
  private current: { job: Job; timer: NodeJS.Timeout } | undefined;
  private busy = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private unreachable = new Set<number>();
  private closed = false;
  private readonly o: Required<Omit<Rs485Options, 'port' | 'mapping'>>;

  constructor(private readonly opts: Rs485Options) {
    this.o = {
      feedback: opts.feedback ?? 'closed_high',
      statusBytes: opts.statusBytes ?? 3,
      pollMs: opts.pollMs ?? 250,
      responseTimeoutMs: opts.responseTimeoutMs ?? 1500,
      quietMs: opts.quietMs ?? 25,
    };
    for (const m of opts.mapping) {
      this.byCompartment.set(m.compartment, m);
      this.doors.set(m.compartment, 'unknown');
    }
    this.compartments = opts.mapping.map((m) => m.compartment);
    opts.port.on('data', (chunk: Buffer) => this.onData(chunk));
    this.schedulePoll(0);
  }

  async open(compartment: number): Promise<void> {
    const m = this.map(compartment);
    let reply: BoardResponse;
    try {
      reply = await this.transact({ kind: 'unlock', board: m.board, channel: m.channel }, true);
    } catch (e) {
      throw new RelayUnconfirmedError(
        `board ${m.board} channel ${m.channel}: ${(e as Error).message}`,
      );
    }
    if (reply.kind === 'unlock')
      this.setDoor(compartment, this.isOpen(reply.high) ? 'open' : 'closed');
  }

  door(compartment: number): DoorState {
    this.map(compartment);
    return this.doors.get(compartment) ?? 'unknown';
  }
  lock(compartment: number): LockState {
    // These boards sense the latch itself: an open latch is the open-door signal.
    const d = this.door(compartment);
    return d === 'open' ? 'unlocked' : d === 'closed' ? 'locked' : 'unknown';
  }
  occupied(): boolean | null {
    return null;
  }
  async setUv(): Promise<void> {
    throw new Error('RS485 lock boards have no UV channels');
  }
  uv(): boolean {
    return false;
  }
  subscribe(listener: (e: LockBusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.pollTimer);
    if (this.current) clearTimeout(this.current.timer);
    for (const j of [...this.urgent, ...this.routine]) j.reject(new Error('lock bus closed'));
    this.urgent.length = this.routine.length = 0;
  }

  private map(compartment: number): ChannelMapping {
    const m = this.byCompartment.get(compartment);
    if (!m) throw new RangeError(`No compartment ${compartment} on this bus.`);
    return m;
  }

  private isOpen(high: boolean): boolean {
    return this.o.feedback === 'closed_high' ? !high : high;
  }

  private setDoor(compartment: number, door: DoorState): void {
    const prev = this.doors.get(compartment);
    this.doors.set(compartment, door);
    // The first reading after start-up (or after an outage) is a baseline, not an event.
    if (prev === door || prev === 'unknown' || door === 'unknown') return;
    this.emit({ type: 'door', compartment, open: door === 'open' });
  }

  private emit(e: LockBusEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private schedulePoll(ms: number): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => void this.poll(), ms);
    this.pollTimer.unref?.();
  }

  private async poll(): Promise<void> {
    const boards = [...new Set(this.opts.mapping.map((m) => m.board))];
    for (const board of boards) {
      try {
        const r = await this.transact({ kind: 'query_all', board }, false);
        if (r.kind !== 'query_all') continue;
        this.unreachable.delete(board);
        for (const m of this.opts.mapping)
          if (m.board === board)
            this.setDoor(
              m.compartment,
              this.isOpen(r.high[m.channel - 1] ?? false) ? 'open' : 'closed',
            );
      } catch (e) {
        if (this.closed) return;
        if (!this.unreachable.has(board)) {
          this.unreachable.add(board);
          this.emit({
            type: 'fault',
            code: 'lock_bus',
            message: `board ${board} does not answer: ${(e as Error).message}`,
          });
        }
        for (const m of this.opts.mapping)
          if (m.board === board) this.doors.set(m.compartment, 'unknown');
      }
    }
    this.schedulePoll(this.o.pollMs);
  }

  private transact(req: BoardRequest, urgent: boolean): Promise<BoardResponse> {
    if (this.closed) return Promise.reject(new Error('lock bus closed'));
    return new Promise((resolve, reject) => {
      (urgent ? this.urgent : this.routine).push({ req, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.busy || this.closed) return;
    const job = this.urgent.shift() ?? this.routine.shift();
    if (!job) return;
    this.busy = true;
    this.rx = Buffer.alloc(0);
    const timer = setTimeout(
      () => this.fail(new Error(`no valid reply within ${this.o.responseTimeoutMs} ms`)),
      this.o.responseTimeoutMs,
    );
    this.current = { job, timer };
    this.opts.port.write(encodeRequest(job.req));
  }

  private onData(chunk: Buffer): void {
    if (!this.current) return; // nobody asked: a late or stray reply, dropped
    this.rx = Buffer.concat([this.rx, chunk]);
    const { response, rest } = extractResponse(this.rx, this.current.job.req, this.o.statusBytes);
    this.rx = Buffer.from(rest);
    if (!response) return;
    const { job, timer } = this.current;
    clearTimeout(timer);
    this.current = undefined;
    this.busy = false;
    job.resolve(response);
    this.next();
  }

  private fail(err: Error): void {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    cur.job.reject(err);
    // Let the line go quiet, then throw away whatever trickled in.
    const t = setTimeout(() => {
      this.rx = Buffer.alloc(0);
      this.busy = false;
      this.next();
    }, this.o.quietMs);
    t.unref?.();
  }
}
