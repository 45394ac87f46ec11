/**
 * Frame codec of the common RS485 electric-lock control board (the "8A/80" family; see
 * ADR 0013 for sources and why not a "5A 5A" frame). Pure functions, no I/O.
 *
 * Host → board, always 5 bytes:   [header, board, channel, function, BCC]
 *   unlock       8A bb cc 11 xx    (cc = 1-based channel)
 *   query one    80 bb cc 33 xx
 *   query all    80 bb 00 33 xx
 * Board → host:
 *   unlock reply 8A bb cc ss xx    (ss = 11 signal high / 00 low: the lock feedback after the pulse)
 *   query reply  80 bb cc ss xx
 *   query-all    80 bb s1 … sN 33 xx   N status bytes, the LAST byte holds channels 1–8
 *                                     (bit 0 = channel 1), the one before it 9–16, and so on.
 * BCC = XOR of every byte before it.
 */

/** Header byte of unlock frames. */
export const UNLOCK_HEADER = 0x8a;
/** Header byte of query frames. */
export const QUERY_HEADER = 0x80;
/** Function byte of an unlock request. */
export const UNLOCK_FN = 0x11;
/** Function byte (and query-all reply marker) of a query. */
export const QUERY_FN = 0x33;
const HIGH = 0x11;
const LOW = 0x00;

/** What the host asks. */
export type BoardRequest =
  | { kind: 'unlock'; board: number; channel: number }
  | { kind: 'query'; board: number; channel: number }
  | { kind: 'query_all'; board: number };

/** What the board answers; `high` is the raw feedback signal (polarity is the cabinet's business). */
export type BoardResponse =
  | { kind: 'unlock'; board: number; channel: number; high: boolean }
  | { kind: 'query'; board: number; channel: number; high: boolean }
  | { kind: 'query_all'; board: number; high: boolean[] };

/** A decode result. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** XOR block check character over bytes. */
export function bcc(bytes: ArrayLike<number>): number {
  let x = 0;
  for (let i = 0; i < bytes.length; i++) x ^= bytes[i]!;
  return x;
}

function frame(body: number[]): Buffer {
  return Buffer.from([...body, bcc(body)]);
}

function checkAddress(board: number, channel?: number): void {
  if (!Number.isInteger(board) || board < 1 || board > 255)
    throw new RangeError(`board address ${board} is outside 1–255`);
  if (channel !== undefined && (!Number.isInteger(channel) || channel < 1 || channel > 255))
    throw new RangeError(`channel ${channel} is outside 1–255`);
}

/** Encode a host request. */
export function encodeRequest(r: BoardRequest): Buffer {
  if (r.kind === 'query_all') {
    checkAddress(r.board);
    return frame([QUERY_HEADER, r.board, 0x00, QUERY_FN]);
  }
  checkAddress(r.board, r.channel);
  return r.kind === 'unlock'
    ? frame([UNLOCK_HEADER, r.board, r.channel, UNLOCK_FN])
    : frame([QUERY_HEADER, r.board, r.channel, QUERY_FN]);
}

/** Decode a 5-byte host request (the board's side of the wire). */
export function decodeRequest(buf: Uint8Array): Decoded<BoardRequest> {
  if (buf.length !== 5) return { ok: false, reason: `a request is 5 bytes, got ${buf.length}` };
  if (bcc(buf.subarray(0, 4)) !== buf[4]) return { ok: false, reason: 'BCC mismatch' };
  const [h, board, channel, fn] = buf as unknown as [number, number, number, number];
  if (board === 0) return { ok: false, reason: 'board address 0' };
  if (h === UNLOCK_HEADER && fn === UNLOCK_FN && channel > 0)
    return { ok: true, value: { kind: 'unlock', board, channel } };
  if (h === QUERY_HEADER && fn === QUERY_FN)
    return {
      ok: true,
      value: channel === 0 ? { kind: 'query_all', board } : { kind: 'query', board, channel },
    };
  return { ok: false, reason: `unknown request ${Buffer.from(buf).toString('hex')}` };
}

/** Status bytes a query-all reply carries for `channels` channels. */
export function statusBytesFor(channels: number): number {
  return Math.max(1, Math.ceil(channels / 8));
}

/** Encode a board response; query-all replies carry `statusBytes` status bytes (default: enough for the channels given). */
export function encodeResponse(r: BoardResponse, statusBytes?: number): Buffer {
  if (r.kind !== 'query_all') {
    checkAddress(r.board, r.channel);
    return frame([
      r.kind === 'unlock' ? UNLOCK_HEADER : QUERY_HEADER,
      r.board,
      r.channel,
      r.high ? HIGH : LOW,
    ]);
  }
  checkAddress(r.board);
  const n = statusBytes ?? statusBytesFor(r.high.length);
  if (r.high.length > n * 8)
    throw new RangeError(`${r.high.length} channels do not fit in ${n} status bytes`);
  const status = new Array<number>(n).fill(0);
  r.high.forEach((h, i) => {
    if (h) status[n - 1 - Math.floor(i / 8)]! |= 1 << (i % 8);
  });
  return frame([QUERY_HEADER, r.board, ...status, QUERY_FN]);
}

/** Length of the reply to a request. */
export function responseLength(req: BoardRequest, statusBytes: number): number {
  return req.kind === 'query_all' ? 4 + statusBytes : 5;
}

/** Decode the reply to `req`; anything that does not answer exactly that request is refused. */
export function decodeResponse(
  buf: Uint8Array,
  req: BoardRequest,
  statusBytes: number,
): Decoded<BoardResponse> {
  const len = responseLength(req, statusBytes);
  if (buf.length !== len) return { ok: false, reason: `expected ${len} bytes, got ${buf.length}` };
  if (bcc(buf.subarray(0, len - 1)) !== buf[len - 1]) return { ok: false, reason: 'BCC mismatch' };
  const header = req.kind === 'unlock' ? UNLOCK_HEADER : QUERY_HEADER;
  if (buf[0] !== header || buf[1] !== req.board)
    return { ok: false, reason: 'reply is for another request or board' };
  if (req.kind === 'query_all') {
    if (buf[len - 2] !== QUERY_FN)
      return { ok: false, reason: 'query-all reply lacks its 33 marker' };
    const high: boolean[] = [];
    for (let i = 0; i < statusBytes * 8; i++)
      high.push((buf[2 + statusBytes - 1 - Math.floor(i / 8)]! & (1 << (i % 8))) !== 0);
    return { ok: true, value: { kind: 'query_all', board: req.board, high } };
  }
  if (buf[2] !== req.channel) return { ok: false, reason: 'reply is for another channel' };
  if (buf[3] !== HIGH && buf[3] !== LOW)
    return { ok: false, reason: `unknown status byte ${buf[3]!.toString(16)}` };
  return {
    ok: true,
    value: { kind: req.kind, board: req.board, channel: req.channel, high: buf[3] === HIGH },
  };
}

/**
 * Pull the reply to `req` out of a receive buffer that may hold noise or partial data.
 * Returns the decoded reply and the unconsumed rest, or `rest` alone while more bytes are needed.
 * A candidate that fails its check costs one byte, so a corrupted frame cannot hide a good one behind it.
 */
export function extractResponse(
  rx: Buffer,
  req: BoardRequest,
  statusBytes: number,
): { response?: BoardResponse; rest: Buffer; skipped: number } {
  const len = responseLength(req, statusBytes);
  const header = req.kind === 'unlock' ? UNLOCK_HEADER : QUERY_HEADER;
  let start = 0;
  let skipped = 0;
  for (;;) {
    const at = rx.indexOf(header, start);
    if (at < 0) return { rest: Buffer.alloc(0), skipped: skipped + rx.length - start };
    skipped += at - start;
    if (rx.length - at < len) return { rest: rx.subarray(at), skipped };
    const d = decodeResponse(rx.subarray(at, at + len), req, statusBytes);
    if (d.ok) return { response: d.value, rest: rx.subarray(at + len), skipped };
    start = at + 1;
    skipped += 1;
  }
}

/** Pull complete 5-byte requests out of a buffer (the board's side), resynchronising on noise. */
export function extractRequests(rx: Buffer): {
  requests: BoardRequest[];
  rest: Buffer;
  rejected: number;
} {
  const requests: BoardRequest[] = [];
  let i = 0;
  let rejected = 0;
  while (i < rx.length) {
    if (rx[i] !== UNLOCK_HEADER && rx[i] !== QUERY_HEADER) {
      i++;
      continue;
    }
    if (rx.length - i < 5) break;
    const d = decodeRequest(rx.subarray(i, i + 5));
    if (d.ok) {
      requests.push(d.value);
      i += 5;
    } else {
      rejected++;
      i++;
    }
  }
  return { requests, rest: rx.subarray(i), rejected };
}
