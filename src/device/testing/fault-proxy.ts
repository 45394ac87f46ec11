/**
 * A fault-injecting TCP proxy between MQTT clients (devices) and the broker. It reads the
 * MQTT framing so faults hit whole packets: PUBLISH packets (and their PUBACKs) can be
 * dropped, duplicated or delayed, at seeded rates, in either direction; connections can
 * be cut and refused for a while (an outage). Everything it did is counted, so a test
 * can say how many faults the system absorbed. Rates come from a seeded PRNG: a run is
 * replayable from its seed.
 */
import type net from 'node:net';
import { seededRandom } from '../prng.ts';
import { startTcpProxy } from './tcp-proxy.ts';

/** Fault rates per packet (0..1) and the delay range. */
export interface FaultRates {
  drop: number;
  duplicate: number;
  delay: number;
  /** Delay range in ms when a packet is delayed. */
  delayMs: [number, number];
  /** Which packets are eligible: PUBLISH only (default) or PUBLISH and PUBACK. */
  acks?: boolean;
}

/** What the proxy did. */
export interface FaultCounts {
  packets: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  cuts: number;
}

/** A running proxy. */
export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  readonly counts: FaultCounts;
  /** Change the fault rates (zero rates = a clean pipe). */
  setRates(r: Partial<FaultRates>): void;
  /** Drop every connection and refuse new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

const NONE: FaultRates = { drop: 0, duplicate: 0, delay: 0, delayMs: [5, 50] };
const PUBLISH = 3;
const PUBACK = 4;

/** Split a byte stream into whole MQTT packets (fixed header + remaining length). */
class Framer {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const out: Buffer[] = [];
    for (;;) {
      if (this.buf.length < 2) break;
      let len = 0;
      let mul = 1;
      let i = 1;
      let complete = false;
      for (; i < 5 && i < this.buf.length; i++) {
        const b = this.buf[i]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) break;
      const total = i + 1 + len;
      if (this.buf.length < total) break;
      out.push(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
    }
    return out;
  }
}

/** Start a proxy on 127.0.0.1:<random> in front of targetHost:targetPort. */
export async function startFaultProxy(
  targetPort: number,
  opts: { seed: string | number; targetHost?: string; rates?: Partial<FaultRates> },
): Promise<FaultProxy> {
  const random = seededRandom(`${opts.seed}:fault-proxy`);
  let rates: FaultRates = { ...NONE, ...opts.rates };
  const counts: FaultCounts = { packets: 0, dropped: 0, duplicated: 0, delayed: 0, cuts: 0 };

  /** Forward packets from `from` to `to`, applying faults; order is kept except for delayed packets. */
  const pump = (from: net.Socket, to: net.Socket) => {
    const framer = new Framer();
    from.on('data', (chunk: Buffer) => {
      for (const packet of framer.push(chunk)) {
        counts.packets++;
        const type = packet[0]! >> 4;
        const eligible = type === PUBLISH || (rates.acks === true && type === PUBACK);
        const write = (p: Buffer) => {
          if (!to.destroyed) to.write(p);
        };
        if (!eligible) {
          write(packet);
          continue;
        }
        const roll = random.float();
        if (roll < rates.drop) {
          counts.dropped++;
        } else if (roll < rates.drop + rates.duplicate) {
          counts.duplicated++;
          write(packet);
          write(packet);
        } else if (roll < rates.drop + rates.duplicate + rates.delay) {
          counts.delayed++;
          const [lo, hi] = rates.delayMs;
          const copy = Buffer.from(packet);
          setTimeout(() => write(copy), lo + Math.floor(random.float() * (hi - lo)));
        } else {
          write(packet);
        }
      }
    });
  };

  const proxy = await startTcpProxy(targetPort, {
    forward: pump,
    ...(opts.targetHost ? { targetHost: opts.targetHost } : {}),
  });
  return {
    url: proxy.url,
    port: proxy.port,
    counts,
    setRates: (r) => {
      rates = { ...rates, ...r };
    },
    cut: () => {
      counts.cuts++;
      proxy.cut();
    },
    restore: () => proxy.restore(),
    close: () => proxy.close(),
  };
}
