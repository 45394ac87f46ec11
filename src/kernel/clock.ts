/**
 * Time, randomness and ids, injected everywhere (STYLE.md habit 8): the cloud, the contract
 * and the device agent share them through the kernel so a command id or a timestamp means the
 * same on both ends of the wire.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** Time source. Inject it; never call Date.now() in domain code, so tests can move time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Randomness source. Crypto-strong in production; seedable in simulations. */
export interface Random {
  /** n cryptographically strong random bytes. */
  bytes(n: number): Buffer;
  /** A uniform integer in [0, max). */
  int(max: number): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Small requests are cut from a pool this size, refilled from the CSPRNG when spent (as Node's randomUUID does). */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

export const cryptoRandom: Random = {
  bytes: (n) => {
    if (n > 256) return randomBytes(n);
    if (poolAt + n > pool.length) {
      pool = randomBytes(POOL_BYTES);
      poolAt = 0;
    }
    // A copy: every byte of the pool is handed out once, and no caller shares memory with it.
    const b = Buffer.from(pool.subarray(poolAt, poolAt + n));
    poolAt += n;
    return b;
  },
  int: (max) => randomInt(max),
};

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 10, 26, 2, 0, 0)) {}
  now(): number {
    return this.t;
  }
  /** Move time forward by ms milliseconds. */
  advance(ms: number): void {
    this.t += ms;
  }
}

// The last instant formatted: one transaction stamps many rows with the same `now`.
let lastMs = Number.NaN;
let lastIso = '';
// The minute of the last instant Date formatted, and its text up to the seconds: within that
// minute only the seconds and milliseconds change. Date's toISOString was about 1 % of the
// node's CPU in the cycle benchmark (most instants are new, a few stamps each).
let lastMinute = Number.NaN;
let minuteText = '';
const MAX_TIME = 8.64e15; // Date's range, either side of the epoch

/**
 * Asia/Shanghai's offset from UTC: +8 hours all year (China has had no summer time since 1992).
 * The community's local day, week and hour are worked out with it.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an instant. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** ISO-8601 UTC text, the one timestamp format stored by both dialects (see ADR 0003). */
export function iso(ms: number): string {
  if (ms === lastMs) return lastIso;
  const minute = Math.floor(ms / 60_000);
  let text: string;
  if (minute === lastMinute && Number.isInteger(ms) && Math.abs(ms) <= MAX_TIME) {
    const inMinute = ms - minute * 60_000; // 0 … 59,999
    const s = Math.floor(inMinute / 1000);
    const f = inMinute - s * 1000;
    text = `${minuteText}${s < 10 ? '0' : ''}${s}.${f < 100 ? (f < 10 ? '00' : '0') : ''}${f}Z`;
  } else {
    text = new Date(ms).toISOString(); // throws on an invalid time, as before (NaN never matches)
    lastMinute = minute;
    minuteText = text.slice(0, -7); // up to "…T08:30:", without "15.123Z"
  }
  lastMs = ms;
  lastIso = text;
  return text;
}

/** A new identifier: a UUIDv7 (time-ordered, so inserts stay append-only in B-trees). */
export function newId(clock: Clock, random: Random): string {
  const b = random.bytes(16);
  b.writeUIntBE(clock.now(), 0, 6); // 48-bit milliseconds, big-endian
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
