/**
 * A byte-level fake of the RS485 lock board for tests: a Duplex that parses the host's
 * frames, keeps per-channel lock/door state, and answers with real frames — including
 * wrong checksums, silence and jammed doors when told to.
 */
import { Duplex } from 'node:stream';
import { encodeResponse, extractRequests } from './lockboard-frame.ts';

/** Options of the fake board. */
export interface FakeBoardOptions {
  /** DIP address. Default 1. */
  address?: number;
  /** Channels on the board. Default 8. */
  channels?: number;
  /** Status bytes in query-all replies. Default 3 (as the 8-channel board captured by Open-Locker). */
  statusBytes?: number;
  /** Reply delay in ms. Default 2. */
  replyDelayMs?: number;
  /** Feedback polarity: with 'closed_high' a closed door reads 11/1. Default 'closed_high'. */
  feedback?: 'closed_high' | 'open_high';
}

/** The fake board; `write` is the host's TX line, `read`/'data' its RX line. */
export class FakeLockBoard extends Duplex {
  readonly address: number;
  readonly channels: number;
  private rx = Buffer.alloc(0);
  private readonly open: boolean[];
  private readonly jammed: boolean[];
  private readonly unlocks: number[];
  private corruptNext = 0;
  private muted = false;
  /** Frames the board could not parse. */
  rejectedFrames = 0;
  /** Every request the board understood, in order. */
  readonly log: string[] = [];

  constructor(private readonly o: FakeBoardOptions = {}) {
    super();
    this.address = o.address ?? 1;
    this.channels = o.channels ?? 8;
    this.open = new Array<boolean>(this.channels).fill(false);
    this.jammed = new Array<boolean>(this.channels).fill(false);
    this.unlocks = new Array<number>(this.channels).fill(0);
  }

  /** Someone pulls a door open (no unlock). */
  pull(channel: number): void {
    this.open[channel - 1] = true;
  }
  /** Someone shuts a door. */
  shut(channel: number): void {
    this.open[channel - 1] = false;
  }
  /** A jammed door stays shut when its lock is pulsed. */
  jam(channel: number, on = true): void {
    this.jammed[channel - 1] = on;
  }
  /** Corrupt the checksum of the next n replies. */
  corruptReplies(n = 1): void {
    this.corruptNext = n;
  }
  /** Stop (or resume) answering at all. */
  mute(on = true): void {
    this.muted = on;
  }
  /** Pulses this channel's lock has received. */
  unlockCount(channel: number): number {
    return this.unlocks[channel - 1] ?? 0;
  }
  /** Door state of a channel. */
  isOpen(channel: number): boolean {
    return this.open[channel - 1] ?? false;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const { requests, rest, rejected } = extractRequests(Buffer.concat([this.rx, chunk]));
    this.rx = Buffer.from(rest);
    this.rejectedFrames += rejected;
    for (const r of requests) {
      if (r.board !== this.address) continue; // another board on the bus
      this.log.push(r.kind === 'query_all' ? 'query_all' : `${r.kind}:${r.channel}`);
      if (r.kind !== 'query_all' && (r.channel < 1 || r.channel > this.channels)) continue;
      let reply: Buffer;
      if (r.kind === 'unlock') {
        this.unlocks[r.channel - 1]!++;
        if (!this.jammed[r.channel - 1]) this.open[r.channel - 1] = true;
        reply = encodeResponse({
          kind: 'unlock',
          board: this.address,
          channel: r.channel,
          high: this.signal(r.channel),
        });
      } else if (r.kind === 'query') {
        reply = encodeResponse({
          kind: 'query',
          board: this.address,
          channel: r.channel,
          high: this.signal(r.channel),
        });
      } else {
        reply = encodeResponse(
          {
            kind: 'query_all',
            board: this.address,
            high: this.open.map((_, i) => this.signal(i + 1)),
          },
          this.o.statusBytes ?? 3,
        );
      }
      this.send(reply);
    }
    done();
  }

  private signal(channel: number): boolean {
    const open = this.open[channel - 1] ?? false;
    return (this.o.feedback ?? 'closed_high') === 'closed_high' ? !open : open;
  }

  private send(reply: Buffer): void {
    if (this.muted) return;
    if (this.corruptNext > 0) {
      this.corruptNext--;
      reply[reply.length - 1]! ^= 0x5a;
    }
    const t = setTimeout(() => this.push(reply), this.o.replyDelayMs ?? 2);
    t.unref?.();
  }
}
